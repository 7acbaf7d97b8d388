package dev.ovation.results;

import dev.ovation.model.ApiError;
import dev.ovation.web.AddressRanges;
import dev.ovation.web.ClientAddresses;
import dev.ovation.web.Json;
import io.javalin.http.Context;
import io.micrometer.core.instrument.MeterRegistry;
import org.eclipse.jetty.server.Request;

/**
 * The bounds on the results role's heavy reads ({@link ResultsConfig.Reads}): log exports, vote
 * checks (each reads Kafka, one at a time) and live streams, each with its {@link ReadLimit}, and
 * who a request comes from ({@link ClientAddresses}, past {@code OVATION_TRUSTED_PROXIES}).
 */
final class ReadLimits {

    /** What a refused export is told to wait: an export of a few hundred thousand votes takes seconds. */
    static final int EXPORT_RETRY_SECONDS = 5;
    /** A vote check takes milliseconds. */
    static final int VOTE_CHECK_RETRY_SECONDS = 1;
    /** A stream lasts as long as its page; the page itself reopens a refused one after 3 to 30 s. */
    static final int STREAM_RETRY_SECONDS = 10;
    /** The code of the error body of a 429, the same as the ingest's. */
    static final String RATE_LIMITED = "rate_limited";

    private final ClientAddresses clients;
    private final ReadLimit exports;
    private final ReadLimit voteChecks;
    private final ReadLimit streams;

    ReadLimits(ResultsConfig.Reads reads, MeterRegistry registry) {
        clients = new ClientAddresses(AddressRanges.parse("OVATION_TRUSTED_PROXIES", reads.trustedProxies()));
        exports = new ReadLimit("export", "log exports", reads.exports(), EXPORT_RETRY_SECONDS, registry);
        voteChecks = new ReadLimit("vote_check", "vote checks", reads.voteChecks(), VOTE_CHECK_RETRY_SECONDS, registry);
        streams = new ReadLimit("stream", "live streams", reads.streams(), STREAM_RETRY_SECONDS, registry);
    }

    ReadLimit exports() {
        return exports;
    }

    ReadLimit voteChecks() {
        return voteChecks;
    }

    ReadLimit streams() {
        return streams;
    }

    /** The client's address of a request served by a Javalin route. */
    String client(Context ctx) {
        return clients.of(ctx.req().getRemoteAddr(), ctx.header("X-Forwarded-For"));
    }

    /** The client's address of a request served by a plain Jetty handler. */
    String client(Request request) {
        return clients.of(Request.getRemoteAddr(request), request.getHeaders().get("X-Forwarded-For"));
    }

    /**
     * A place for one read of {@code limit} from the request's client, or null once the request is
     * answered {@code 429} with {@code Retry-After}.
     */
    ReadLimit.Slot admit(Context ctx, ReadLimit limit) {
        try {
            return limit.admit(client(ctx));
        } catch (ReadLimit.Refused e) {
            ctx.header("Retry-After", Integer.toString(e.retryAfterSeconds()));
            Json.send(ctx, 429, refusal(e));
            return null;
        }
    }

    /** The body of a 429. */
    static ApiError refusal(ReadLimit.Refused e) {
        return ApiError.of(RATE_LIMITED, e.getMessage());
    }
}
