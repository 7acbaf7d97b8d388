package dev.ovation.ingest;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import dev.ovation.model.ApiError;
import dev.ovation.model.InvalidVoteException;
import dev.ovation.model.Protocol;
import dev.ovation.model.Vote;
import dev.ovation.model.VoteFields;
import dev.ovation.model.VoteJson;
import dev.ovation.web.ClientAddresses;
import dev.ovation.web.Failures;
import dev.ovation.web.Json;
import dev.ovation.web.RequestFailure;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ingest's HTTP API. Every vote is answered only after Kafka acknowledged it.
 *
 * <pre>
 * curl -s -XPOST localhost:8080/api/votes -H 'content-type: application/json' \
 *      -d '{"band":"The Beatles","album":"Abbey Road"}'
 * {"id":"6f1c...","contest":"default"}
 * </pre>
 *
 * <p>It is a Jetty handler placed before the web server's Javalin routes (which keep the health,
 * admin and error endpoints): a vote is read, decoded and sent to Kafka without blocking, and its
 * answer is written by Kafka's acknowledgement with Jetty's asynchronous {@code Response.write},
 * so no thread waits for Kafka and no executor stands between the acknowledgement and the answer.
 * It takes {@code POST /api/votes}, {@code POST /api/votes/batch}, {@code POST /insert},
 * {@code POST /} and {@code GET /}; other methods on these paths get {@code 405}, other paths go on
 * to Javalin. A body that comes slower than the server's minimum rate gets {@code 408}
 * (the web server's {@code MinimumBodyRate}, answered with the error body as any other refusal).
 */
public final class VoteHttpApi extends Handler.Abstract.NonBlocking {

    /** The most votes one batch request may carry. */
    public static final int MAX_BATCH = 1_000;

    private static final Logger LOG = LoggerFactory.getLogger(VoteHttpApi.class);
    private static final JsonFactory JSON = Json.MAPPER.getFactory();
    private static final String JSON_TYPE = "application/json";
    /** What a 503 tells the client to wait before retrying: Kafka's leader elections take seconds. */
    static final String RETRY_AFTER_SECONDS = "1";

    private final VoteIntake intake;
    private final int maxVoteBytes;
    private final int maxBatchBytes;
    private final IngestMetrics metrics;
    private final ClientAddresses clients;

    /**
     * @param maxVoteBytes  the largest body of one vote; larger ones get {@code 413}, unread
     * @param maxBatchBytes the largest body of a batch
     * @param metrics       where the refusals of a request's body itself are counted (its media type,
     *                      its size, a batch that is not an array); the intake counts the votes'
     * @param clients       who a request comes from, for the rate limits
     */
    VoteHttpApi(VoteIntake intake, int maxVoteBytes, int maxBatchBytes, IngestMetrics metrics,
                ClientAddresses clients) {
        this.clients = clients;
        this.metrics = metrics;
        this.intake = intake;
        this.maxVoteBytes = maxVoteBytes;
        this.maxBatchBytes = maxBatchBytes;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        String path = Request.getPathInContext(request);
        Protocol protocol = switch (path) {
            case "/api/votes" -> Protocol.HTTP;
            case "/api/votes/batch" -> Protocol.HTTP_BATCH;
            case "/insert", "/" -> Protocol.SEED_HTTP;
            default -> null;
        };
        if (protocol == null) {
            return false;
        }
        Endpoint endpoint = switch (protocol) {
            case HTTP -> this::castOne;
            case HTTP_BATCH -> this::castBatch;
            default -> this::castSeed;
        };
        String method = request.getMethod();
        if (method.equals("GET") && path.equals("/")) {
            status(response, callback);
        } else if (!method.equals("POST")) {
            answer(response, callback, 405, ApiError.of("method_not_allowed", method + " is not allowed on " + path));
        } else if (Json.notJson(request.getHeaders().get(HttpHeader.CONTENT_TYPE)) != null) {
            metrics.refused(protocol, IngestMetrics.NOT_JSON);
            answer(response, callback, 415, ApiError.of(IngestMetrics.NOT_JSON,
                    Json.notJson(request.getHeaders().get(HttpHeader.CONTENT_TYPE))));
        } else if (request.getLength() > limit(protocol)) {
            // Refused on its announced length, before a byte of it is read.
            metrics.refused(protocol, IngestMetrics.TOO_LARGE);
            answer(response, callback, 413, tooLarge(limit(protocol)));
        } else {
            // A body of no announced length is read up to the limit and no further.
            Content.Source.asByteArrayAsync(request, limit(protocol)).whenComplete((body, failure) -> {
                if (failure != null) {
                    answerUnreadable(request, protocol, response, callback, failure);
                } else {
                    guarded(endpoint, body, clients.of(request.getConnectionMetaData().getRemoteSocketAddress(),
                            request.getHeaders().get("X-Forwarded-For")), response, callback);
                }
            });
        }
        return true;
    }

    /** One endpoint taking a request body. */
    private interface Endpoint {
        void cast(byte[] body, String client, Response response, Callback callback);
    }

    /**
     * {@code POST /api/votes}: one vote in Ovation's shape. {@code 404 unknown_contest},
     * {@code 409 contest_closed} and {@code 422 not_in_catalog} when the contest does not take it,
     * {@code 429 rate_limited} (with {@code Retry-After}) when it comes too fast. {@code 202 {"id", "contest"}} once
     * stored; {@code 400} naming the bad field; {@code 503 {"error", "id", "contest", "message"}} when
     * Kafka did not acknowledge it in time: retry with that id, it will count once.
     */
    void castOne(byte[] body, String client, Response response, Callback callback) {
        cast(body, client, Protocol.HTTP, false, response, callback);
    }

    /**
     * {@code POST /} and {@code POST /insert}: one vote in the seed's shape
     * {@code {"name", "album", "year", "rank"}}, into the default contest; answered like
     * {@code POST /api/votes}.
     */
    void castSeed(byte[] body, String client, Response response, Callback callback) {
        cast(body, client, Protocol.SEED_HTTP, true, response, callback);
    }

    private void cast(byte[] body, String client, Protocol protocol, boolean seedShape, Response response,
                      Callback callback) {
        HttpAnswer answer = new HttpAnswer(response, callback);
        VoteFields fields;
        try {
            fields = readVote(body, seedShape);
        } catch (InvalidVoteException e) {
            intake.refuse(protocol, e, answer);
            return;
        }
        intake.submit(fields, client, protocol, answer);
    }

    /**
     * {@code POST /api/votes/batch}: a JSON array of up to 1,000 votes in Ovation's shape. Answers
     * {@code 200} with one result per vote, in order: {@code {"index", "status": "accepted", "id",
     * "contest"}}, {@code {"index", "status": "rejected", "error", "field", "message"}} or
     * {@code {"index", "status": "unavailable", "error", "id", "contest", "message"}}. A body that is not an array of at most 1,000 items gets {@code 400} and
     * publishes nothing.
     */
    void castBatch(byte[] body, String client, Response response, Callback callback) {
        List<Object> read;
        try {
            read = readBatch(body);
        } catch (InvalidVoteException e) {
            metrics.refused(Protocol.HTTP_BATCH, IngestMetrics.INVALID);
            answer(response, callback, 400, new ApiError("invalid_batch", e.field(), e.getMessage()));
            return;
        }
        BatchAnswer answer = new BatchAnswer(read.size(), response, callback);
        for (int i = 0; i < read.size(); i++) {
            if (read.get(i) instanceof InvalidVoteException e) {
                intake.refuse(Protocol.HTTP_BATCH, e, answer.slot(i));
            } else {
                intake.submit((VoteFields) read.get(i), client, Protocol.HTTP_BATCH, answer.slot(i));
            }
        }
    }

    /** {@code GET /}: a small status document (the seed's traffic generator calls it). */
    void status(Response response, Callback callback) {
        answer(response, callback, 200, new Status("ovation-ingest", "UP",
                List.of("POST /api/votes", "POST /api/votes/batch", "POST /insert", "POST /")));
    }

    /**
     * Refuses a body that is not well-formed UTF-8: the JSON parser lets overlong forms through
     * ({@code C0 AF} read as {@code /}), which would let a name pass for another.
     */
    private static void requireUtf8(byte[] body) throws InvalidVoteException {
        try {
            StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(body));
        } catch (CharacterCodingException e) {
            throw new InvalidVoteException("body", "the body is not valid UTF-8");
        }
    }

    /** Decodes a body holding one vote straight into its fields. */
    static VoteFields readVote(byte[] body, boolean seedShape) throws InvalidVoteException {
        if (body.length == 0) {
            throw new InvalidVoteException("body", "the request body is empty; send a JSON vote");
        }
        requireUtf8(body);
        try (JsonParser parser = JSON.createParser(body)) {
            parser.nextToken();
            VoteFields fields = null;
            InvalidVoteException refused = null;
            try {
                fields = seedShape ? VoteJson.readSeed(parser) : VoteJson.readOvation(parser);
            } catch (InvalidVoteException e) {
                refused = e;
            }
            requireEnd(parser);
            if (refused != null) {
                throw refused;
            }
            return fields;
        } catch (JsonProcessingException e) {
            throw new InvalidVoteException("body", "the body is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new InvalidVoteException("body", "the body could not be read: " + e.getMessage());
        }
    }

    /**
     * Decodes a batch: each item is a {@link VoteFields} or the {@link InvalidVoteException} that
     * refuses it. The whole body is read before anything is published.
     *
     * @throws InvalidVoteException when the body is not a JSON array of at most {@value #MAX_BATCH} items
     */
    static List<Object> readBatch(byte[] body) throws InvalidVoteException {
        if (body.length == 0) {
            throw new InvalidVoteException("body", "the request body is empty; send a JSON array of votes");
        }
        requireUtf8(body);
        try (JsonParser parser = JSON.createParser(body)) {
            if (parser.nextToken() != JsonToken.START_ARRAY) {
                parser.skipChildren();
                requireEnd(parser);
                throw new InvalidVoteException("body", "a batch must be a JSON array of votes");
            }
            List<Object> items = new ArrayList<>();
            int count = 0;
            while (parser.nextToken() != JsonToken.END_ARRAY) {
                if (++count > MAX_BATCH) {
                    parser.skipChildren();
                    continue;
                }
                try {
                    items.add(VoteJson.readOvation(parser));
                } catch (InvalidVoteException e) {
                    items.add(e);
                }
            }
            requireEnd(parser);
            if (count > MAX_BATCH) {
                throw new InvalidVoteException("body", "a batch holds at most " + MAX_BATCH + " votes; this one has "
                        + count);
            }
            return items;
        } catch (JsonProcessingException e) {
            throw new InvalidVoteException("body", "the body is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new InvalidVoteException("body", "the body could not be read: " + e.getMessage());
        }
    }

    private static void requireEnd(JsonParser parser) throws IOException, InvalidVoteException {
        if (parser.nextToken() != null) {
            throw new InvalidVoteException("body", "the body is not valid JSON: more content after the first value");
        }
    }

    private void guarded(Endpoint endpoint, byte[] body, String client, Response response, Callback callback) {
        try {
            endpoint.cast(body, client, response, callback);
        } catch (RuntimeException | LinkageError e) {
            // A LinkageError too (a class that cannot be loaded, as when the jar was replaced under a
            // running process): thrown in the body's completion callback, it would be swallowed there
            // and leave the client waiting for ever.
            answer(response, callback, 500, Failures.internal(LOG, "ingest failed on a vote", e));
        }
    }

    private void answerUnreadable(Request request, Protocol protocol, Response response, Callback callback,
                                  Throwable failure) {
        Throwable cause = VoteRefusal.rootCause(failure);
        Optional<RequestFailure> failed = RequestFailure.of(cause);
        if (failed.isPresent()) {
            // the body came too slowly, or not as well-formed HTTP: the client's fault, with its own status
            answer(response, callback, failed.get().status(), failed.get().body());
        } else if (cause instanceof IllegalStateException || cause instanceof IllegalArgumentException) {
            // How Content.Source.asByteArrayAsync refuses a body (of no announced length) that
            // grows past its maximum.
            metrics.refused(protocol, IngestMetrics.TOO_LARGE);
            answer(response, callback, 413, tooLarge(limit(protocol)));
        } else {
            LOG.debug("could not read the body of {} {}", request.getMethod(), Request.getPathInContext(request), cause);
            callback.failed(cause);
        }
    }

    private int limit(Protocol protocol) {
        return protocol == Protocol.HTTP_BATCH ? maxBatchBytes : maxVoteBytes;
    }

    private static ApiError tooLarge(int limit) {
        return ApiError.of("too_large", "the body is larger than " + limit + " bytes, the most this endpoint takes");
    }

    /** Starts writing the answer and returns at once; the callback completes the exchange when it is sent. */
    private static void answer(Response response, Callback callback, int status, Object body) {
        byte[] json;
        try {
            json = Json.MAPPER.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            callback.failed(e);
            return;
        }
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, JSON_TYPE);
        response.write(true, ByteBuffer.wrap(json), callback);
    }

    /**
     * A refused vote's status: {@code 400} when invalid, the contest's ({@code 404}, {@code 409},
     * {@code 422}, {@code 429}) when it does not take it, {@code 503} when Kafka did not acknowledge it.
     */
    private static int httpStatus(VoteRefusal.Kind kind) {
        return switch (kind) {
            case INVALID -> 400;
            case UNKNOWN_CONTEST, CONTEST_CLOSED, NOT_IN_CATALOG, RATE_LIMITED -> kind.reason().httpStatus();
            case UNAVAILABLE -> 503;
        };
    }

    /** The error body of a vote refused before publishing: {@code invalid_vote}, or the contest's code. */
    private static ApiError error(VoteRefusal refusal) {
        String code = refusal.kind() == VoteRefusal.Kind.INVALID ? "invalid_vote" : refusal.kind().reason().code();
        return new ApiError(code, refusal.field(), refusal.message());
    }

    /**
     * One vote's answer ({@code POST /api/votes}, {@code /insert}, {@code /}): {@code 202} and its
     * receipt, or the refusal's status, error body and, when there is one, {@code Retry-After}. Called
     * on Kafka's I/O thread once the vote is published: {@link #answer} only starts an asynchronous write.
     */
    private record HttpAnswer(Response response, Callback callback) implements VoteAnswer {

        @Override
        public void accepted(Vote stored) {
            answer(response, callback, 202, new Receipt(stored.id(), stored.contest()));
        }

        @Override
        public void refused(VoteRefusal refusal) {
            if (refusal.kind() == VoteRefusal.Kind.UNAVAILABLE) {
                response.getHeaders().put(HttpHeader.RETRY_AFTER, RETRY_AFTER_SECONDS);
                answer(response, callback, 503, NotStored.of(refusal));
                return;
            }
            if (refusal.retryAfterSeconds() > 0) {
                response.getHeaders().put(HttpHeader.RETRY_AFTER, refusal.retryAfterSeconds());
            }
            answer(response, callback, httpStatus(refusal.kind()), error(refusal));
        }
    }

    /** The answer to an accepted vote. */
    record Receipt(String id, String contest) {
    }

    /** A 503 body that gives back the vote's id, so that a client that sent none can retry safely. */
    record NotStored(String error, String id, String contest, String message) {

        static NotStored of(VoteRefusal refusal) {
            return new NotStored("unavailable", refusal.id(), refusal.contest(), refusal.message());
        }
    }

    /** One vote's result in a batch answer; absent parts are left out. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record BatchItem(int index, String status, String id, String contest, String error, String field,
                     String message) {

        static BatchItem accepted(int index, Vote vote) {
            return new BatchItem(index, "accepted", vote.id(), vote.contest(), null, null, null);
        }

        static BatchItem rejected(int index, ApiError error) {
            return new BatchItem(index, "rejected", null, null, error.error(), error.field(), error.message());
        }

        static BatchItem notStored(int index, NotStored notStored) {
            return new BatchItem(index, "unavailable", notStored.id(), notStored.contest(), notStored.error(), null,
                    notStored.message());
        }
    }

    /** The body of a batch answer. */
    record BatchBody(long accepted, List<BatchItem> results) {
    }

    /** {@code GET /}'s body. */
    record Status(String service, String status, List<String> endpoints) {
    }

    /** Collects a batch's results, in any order, and answers once the last one is in. */
    private static final class BatchAnswer {

        private final BatchItem[] items;
        private final AtomicInteger missing;
        private final Response response;
        private final Callback callback;

        BatchAnswer(int size, Response response, Callback callback) {
            this.items = new BatchItem[size];
            this.missing = new AtomicInteger(size);
            this.response = response;
            this.callback = callback;
            if (size == 0) {
                answer(response, callback, 200, new BatchBody(0, List.of()));
            }
        }

        /** The answer of the batch's vote at {@code index}. */
        VoteAnswer slot(int index) {
            return new VoteAnswer() {
                @Override
                public void accepted(Vote stored) {
                    put(index, BatchItem.accepted(index, stored));
                }

                @Override
                public void refused(VoteRefusal refusal) {
                    put(index, refusal.kind() == VoteRefusal.Kind.UNAVAILABLE
                            ? BatchItem.notStored(index, NotStored.of(refusal))
                            : BatchItem.rejected(index, error(refusal)));
                }
            };
        }

        private void put(int index, BatchItem item) {
            items[index] = item;
            // The decrement publishes the item to the thread that sees the count reach zero.
            if (missing.decrementAndGet() == 0) {
                List<BatchItem> results = Arrays.asList(items);
                long accepted = results.stream().filter(r -> r.status().equals("accepted")).count();
                answer(response, callback, 200, new BatchBody(accepted, results));
            }
        }
    }
}
