package dev.ovation.ingest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.ovation.model.ApiError;
import dev.ovation.model.InvalidVoteException;
import dev.ovation.model.Protocol;
import dev.ovation.model.Vote;
import dev.ovation.model.VoteJson;
import dev.ovation.model.contest.VoteRefusedException;
import dev.ovation.web.Json;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The ingest's HTTP API. Every vote is answered only after Kafka acknowledged it.
 *
 * <pre>
 * curl -s -XPOST localhost:8080/api/votes -H 'content-type: application/json' \
 *      -d '{"band":"The Beatles","album":"Abbey Road"}'
 * {"id":"6f1c...","contest":"default"}
 * </pre>
 */
public final class VoteHttpApi {

    /** The most votes one batch request may carry. */
    public static final int MAX_BATCH = 1_000;

    private final VotePublisher publisher;
    private final VoteIntake intake;

    VoteHttpApi(VotePublisher publisher, VoteIntake intake) {
        this.publisher = publisher;
        this.intake = intake;
    }

    /** Adds the routes. */
    public void addRoutes(RoutesConfig routes) {
        routes.post("/api/votes", this::castOne);
        routes.post("/api/votes/batch", this::castBatch);
        routes.post("/insert", this::castSeed);
        routes.post("/", this::castSeed);
        routes.get("/", this::status);
    }

    /**
     * {@code POST /api/votes}: one vote in Ovation's shape. {@code 404 unknown_contest},
     * {@code 409 contest_closed} and {@code 422 not_in_catalog} when the contest does not take it. {@code 202 {"id", "contest"}} once
     * stored; {@code 400} naming the bad field; {@code 503 {"error", "id", "contest", "message"}} when
     * Kafka did not acknowledge it in time: retry with that id, it will count once.
     */
    void castOne(Context ctx) {
        cast(ctx, Protocol.HTTP, false);
    }

    /**
     * {@code POST /} and {@code POST /insert}: one vote in the seed's shape
     * {@code {"name", "album", "year", "rank"}}, into the default contest; answered like
     * {@code POST /api/votes}.
     */
    void castSeed(Context ctx) {
        cast(ctx, Protocol.SEED_HTTP, true);
    }

    private void cast(Context ctx, Protocol protocol, boolean seedShape) {
        VoteIntake.Admitted admitted;
        try {
            JsonNode node = readBody(ctx);
            admitted = intake.accept(seedShape ? VoteJson.readSeed(node) : VoteJson.readOvation(node));
        } catch (InvalidVoteException e) {
            Json.send(ctx, 400, invalid(e));
            return;
        } catch (VoteRefusedException e) {
            Json.send(ctx, e.reason().httpStatus(), refused(e));
            return;
        }
        Vote vote = admitted.vote();
        ctx.future(() -> publisher.publish(vote, protocol, admitted.votesPerVoter()).handle((stored, error) -> {
            if (error == null) {
                Json.send(ctx, 202, receipt(stored));
            } else {
                Json.send(ctx, 503, notStored(vote, error));
            }
            return null;
        }));
    }

    /**
     * {@code POST /api/votes/batch}: a JSON array of up to 1,000 votes in Ovation's shape. Answers
     * {@code 200} with one result per vote, in order: {@code {"index", "status": "accepted", "id",
     * "contest"}}, {@code {"index", "status": "rejected", "error", "field", "message"}} or
     * {@code {"index", "status": "unavailable", "error", "id", "contest", "message"}}. A body that is not an array of at most 1,000 items gets {@code 400} and
     * publishes nothing.
     */
    void castBatch(Context ctx) {
        JsonNode node;
        try {
            node = readBody(ctx);
        } catch (InvalidVoteException e) {
            Json.send(ctx, 400, new ApiError("invalid_batch", "body", e.getMessage().replace("a JSON vote",
                    "a JSON array of votes")));
            return;
        }
        if (!node.isArray()) {
            Json.send(ctx, 400, new ApiError("invalid_batch", "body", "a batch must be a JSON array of votes"));
            return;
        }
        if (node.size() > MAX_BATCH) {
            Json.send(ctx, 400, new ApiError("invalid_batch", "body", "a batch holds at most " + MAX_BATCH
                    + " votes; this one has " + node.size()));
            return;
        }
        List<CompletableFuture<Map<String, Object>>> results = new ArrayList<>(node.size());
        for (int i = 0; i < node.size(); i++) {
            int index = i;
            try {
                VoteIntake.Admitted admitted = intake.accept(VoteJson.readOvation(node.get(i)));
                Vote vote = admitted.vote();
                results.add(publisher.publish(vote, Protocol.HTTP_BATCH, admitted.votesPerVoter())
                        .handle((stored, error) -> error == null
                        ? itemAccepted(index, stored)
                        : itemNotStored(index, vote, error)));
            } catch (InvalidVoteException e) {
                results.add(CompletableFuture.completedFuture(itemError(index, "rejected", invalid(e))));
            } catch (VoteRefusedException e) {
                results.add(CompletableFuture.completedFuture(itemError(index, "rejected", refused(e))));
            }
        }
        ctx.future(() -> CompletableFuture.allOf(results.toArray(CompletableFuture[]::new)).thenRun(() -> {
            List<Map<String, Object>> answer = results.stream().map(CompletableFuture::join).toList();
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("accepted", answer.stream().filter(r -> "accepted".equals(r.get("status"))).count());
            body.put("results", answer);
            Json.send(ctx, 200, body);
        }));
    }

    /** {@code GET /}: a small status document (the seed's traffic generator calls it). */
    void status(Context ctx) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("service", "ovation-ingest");
        body.put("status", "UP");
        body.put("endpoints", List.of("POST /api/votes", "POST /api/votes/batch", "POST /insert", "POST /"));
        Json.send(ctx, 200, body);
    }

    private static JsonNode readBody(Context ctx) throws InvalidVoteException {
        byte[] body = ctx.bodyAsBytes();
        if (body.length == 0) {
            throw new InvalidVoteException("body", "the request body is empty; send a JSON vote");
        }
        try {
            return Json.MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            throw new InvalidVoteException("body", "the body is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new InvalidVoteException("body", "the body could not be read: " + e.getMessage());
        }
    }

    private static Receipt receipt(Vote vote) {
        return new Receipt(vote.id(), vote.contest());
    }

    /** The answer to an accepted vote. */
    record Receipt(String id, String contest) {
    }

    private static ApiError refused(VoteRefusedException e) {
        return new ApiError(e.reason().code(), e.field(), e.getMessage());
    }

    private static ApiError invalid(InvalidVoteException e) {
        return new ApiError("invalid_vote", e.field(), e.getMessage());
    }

    /** A 503 body that gives back the vote's id, so that a client that sent none can retry safely. */
    private static Map<String, Object> notStored(Vote vote, Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", "unavailable");
        body.put("id", vote.id());
        body.put("contest", vote.contest());
        body.put("message", cause.getMessage());
        return body;
    }

    private static Map<String, Object> itemNotStored(int index, Vote vote, Throwable error) {
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("index", index);
        item.put("status", "unavailable");
        item.putAll(notStored(vote, error));
        return item;
    }

    private static Map<String, Object> itemAccepted(int index, Vote vote) {
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("index", index);
        item.put("status", "accepted");
        item.put("id", vote.id());
        item.put("contest", vote.contest());
        return item;
    }

    private static Map<String, Object> itemError(int index, String status, ApiError error) {
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("index", index);
        item.put("status", status);
        item.put("error", error.error());
        if (error.field() != null) {
            item.put("field", error.field());
        }
        item.put("message", error.message());
        return item;
    }
}
