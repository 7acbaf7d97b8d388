package dev.ovation.results;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.ovation.model.ApiError;
import dev.ovation.model.contest.ContestDirectory;
import dev.ovation.web.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * {@code GET /api/contests/{contest}/stream}: the contest's live updates as server-sent events
 * ({@code text/event-stream}), one {@code update} event per change, at most four a second, and a
 * comment line every ten seconds when nothing changes. The data of each event is a
 * {@link LiveFeed.LiveUpdate} in JSON; the first holds the whole picture.
 *
 * <pre>
 * curl -N localhost:8088/api/contests/default/stream
 * retry: 3000
 *
 * event: update
 * data: {"first":true,"results":{"contest":"default",...},"entries":[...],"rate":[...]}
 * </pre>
 *
 * <p>A plain Jetty handler ahead of Javalin's routes, so that no thread waits on a stream: every
 * write is asynchronous, one at a time per stream; what the feed sends meanwhile waits in a buffer
 * of at most {@value #MAX_PENDING_BYTES} bytes, and a stream whose reader falls further behind is
 * closed (its page reconnects and starts again from a whole update). {@code 400} for a malformed
 * contest id, {@code 404} for an unknown one, {@code 405} for any method but GET; {@code 429} with
 * {@code Retry-After} past {@code OVATION_STREAMS_PER_ADDRESS} streams open from the client's
 * address or {@code OVATION_STREAMS_MAX} on the server, each stream holding its place until it ends.
 */
final class LiveStream extends Handler.Abstract.NonBlocking {

    private static final Pattern PATH = Pattern.compile("/api/contests/([^/]*)/stream");
    private static final Pattern CONTEST = Pattern.compile("[a-z0-9][a-z0-9_-]{0,63}");
    static final int MAX_PENDING_BYTES = 1 << 20;
    /** How long a page waits before reconnecting a broken stream, in milliseconds. */
    static final int RETRY_MILLIS = 3_000;

    private final ContestDirectory contests;
    private final LiveFeed feed;
    private final ReadLimits limits;

    LiveStream(ContestDirectory contests, LiveFeed feed, ReadLimits limits) {
        this.contests = contests;
        this.feed = feed;
        this.limits = limits;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        Matcher path = PATH.matcher(Request.getPathInContext(request));
        if (!path.matches()) {
            return false;
        }
        String contest = path.group(1);
        if (!"GET".equals(request.getMethod())) {
            answer(response, callback, 405, ApiError.of("method_not_allowed",
                    request.getMethod() + " is not allowed on " + Request.getPathInContext(request)));
        } else if (!CONTEST.matcher(contest).matches()) {
            answer(response, callback, 400, new ApiError("bad_request", "contest",
                    "contest must be 1 to 64 characters of a-z, 0-9, '_' or '-', not '" + contest + "'"));
        } else if (contests.find(contest).isEmpty()) {
            answer(response, callback, 404, new ApiError("unknown_contest", "contest",
                    "there is no contest '" + contest + "'"));
        } else {
            ReadLimit.Slot slot;
            try {
                slot = limits.streams().admit(limits.client(request));
            } catch (ReadLimit.Refused e) {
                response.getHeaders().put(HttpHeader.RETRY_AFTER, e.retryAfterSeconds());
                answer(response, callback, 429, ReadLimits.refusal(e));
                return true;
            }
            open(contest, response, freeing(slot, callback));
        }
        return true;
    }

    private void open(String contest, Response response, Callback callback) {
        response.setStatus(200);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/event-stream; charset=utf-8");
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        // tells nginx-style proxies not to hold the events back in a buffer
        response.getHeaders().put("X-Accel-Buffering", "no");
        Stream stream = new Stream(response, callback);
        stream.send(("retry: " + RETRY_MILLIS + "\n\n").getBytes(StandardCharsets.US_ASCII));
        feed.watch(contest, stream);
    }

    /** The same callback, freeing the stream's place first when the stream ends, however it ends. */
    private static Callback freeing(ReadLimit.Slot slot, Callback callback) {
        return new Callback() {
            @Override
            public void succeeded() {
                slot.close();
                callback.succeeded();
            }

            @Override
            public void failed(Throwable cause) {
                slot.close();
                callback.failed(cause);
            }
        };
    }

    private static void answer(Response response, Callback callback, int status, ApiError error) {
        try {
            byte[] json = Json.MAPPER.writeValueAsBytes(error);
            response.setStatus(status);
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
            response.write(true, ByteBuffer.wrap(json), callback);
        } catch (JsonProcessingException e) {
            callback.failed(e);
        }
    }

    /** One open stream: writes one at a time, buffering what comes meanwhile, up to a bound. */
    static final class Stream implements LiveFeed.Viewer, Callback {

        private final Response response;
        private final Callback done;
        private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
        private boolean writing;
        private boolean ending;
        private volatile boolean closed;

        Stream(Response response, Callback done) {
            this.response = response;
            this.done = done;
        }

        @Override
        public synchronized void send(byte[] event) {
            if (closed || ending) {
                return;
            }
            if (writing) {
                if (pending.size() + event.length > MAX_PENDING_BYTES) {
                    fail(new IOException("the reader of this stream fell more than " + MAX_PENDING_BYTES
                            + " bytes behind"));
                    return;
                }
                pending.writeBytes(event);
                return;
            }
            writing = true;
            response.write(false, ByteBuffer.wrap(event), this);
        }

        /** A write completed: the next one goes, if any waits. */
        @Override
        public synchronized void succeeded() {
            if (closed) {
                return;
            }
            if (pending.size() > 0) {
                byte[] next = pending.toByteArray();
                pending.reset();
                response.write(false, ByteBuffer.wrap(next), this);
            } else if (ending) {
                closed = true;
                response.write(true, ByteBuffer.allocate(0), done);
            } else {
                writing = false;
            }
        }

        /** A write failed: the reader is gone. */
        @Override
        public void failed(Throwable cause) {
            fail(cause);
        }

        private synchronized void fail(Throwable cause) {
            if (!closed) {
                closed = true;
                pending.reset();
                done.failed(cause);
            }
        }

        @Override
        public boolean closed() {
            return closed;
        }

        @Override
        public synchronized void end() {
            if (closed || ending) {
                return;
            }
            ending = true;
            if (!writing) {
                closed = true;
                response.write(true, ByteBuffer.allocate(0), done);
            }
        }
    }
}
