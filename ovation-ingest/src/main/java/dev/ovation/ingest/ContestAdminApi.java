package dev.ovation.ingest;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ovation.model.ApiError;
import dev.ovation.model.InvalidVoteException;
import dev.ovation.model.contest.Contest;
import dev.ovation.model.contest.ContestBodyError;
import dev.ovation.model.contest.ContestFile;
import dev.ovation.model.contest.ContestRules;
import dev.ovation.store.contest.ContestStore;
import dev.ovation.web.Json;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.HexFormat;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin API: create, open, close and list contests. Every call needs
 * {@code Authorization: Bearer <OVATION_ADMIN_TOKEN>}; without a configured token the API is
 * disabled ({@code 403}), never open. Every call, allowed or refused, leaves an audit line on the
 * logger {@value #AUDIT_LOGGER}: when (the log's timestamp), who (the client address and a
 * fingerprint of the token presented, never the token), what (method, path, contest) and how it
 * ended (the status).
 *
 * <pre>
 * curl -s -XPOST localhost:8080/api/admin/contests -H "authorization: Bearer $OVATION_ADMIN_TOKEN" \
 *      -d '{"id":"finals","title":"Finals","votesPerVoter":2,"catalog":{"Alux Nahual":[]}}'
 * curl -s -XPOST localhost:8080/api/admin/contests/finals/close -H "authorization: Bearer $OVATION_ADMIN_TOKEN"
 * </pre>
 */
public final class ContestAdminApi {

    /** The logger of the audit lines, to route them apart (for example to a file of their own). */
    public static final String AUDIT_LOGGER = "ovation.audit";
    private static final Logger AUDIT = LoggerFactory.getLogger(AUDIT_LOGGER);

    /** Where the admin API lives: on the management port when the ingest has one. */
    public static final String PATH = "/api/admin";

    private final ContestStore contests;
    private final byte[] tokenDigest;
    private final Clock clock;

    /** @param token the bearer token, or null to disable the API */
    public ContestAdminApi(ContestStore contests, String token, Clock clock) {
        this.contests = contests;
        this.tokenDigest = token == null || token.isBlank() ? null : sha256(token);
        this.clock = clock;
    }

    /** Adds the routes. */
    public void addRoutes(RoutesConfig routes) {
        routes.after("/api/admin/*", this::audit);
        routes.after("/api/admin", this::audit);
        routes.get("/api/admin/contests", this::list);
        routes.post("/api/admin/contests", this::create);
        routes.post("/api/admin/contests/{contest}/open", ctx -> setState(ctx, Contest.OPEN));
        routes.post("/api/admin/contests/{contest}/close", ctx -> setState(ctx, Contest.CLOSED));
    }

    /** {@code GET /api/admin/contests}: every contest with its current status. */
    void list(Context ctx) {
        if (authorized(ctx)) {
            Json.send(ctx, 200, contests.all().stream().map(this::withStatus).toList());
        }
    }

    /**
     * {@code POST /api/admin/contests}: creates a contest from its JSON. {@code 201} with it;
     * {@code 400} naming a bad field; {@code 409} when the id exists.
     */
    void create(Context ctx) throws InterruptedException {
        if (!authorized(ctx)) {
            return;
        }
        Contest contest;
        try {
            contest = ContestRules.validate(ContestFile.JSON.readValue(ctx.bodyAsBytes(), Contest.class));
        } catch (IOException e) {
            ContestBodyError error = ContestBodyError.of(e);
            Json.send(ctx, 400, new ApiError("invalid_contest", error.field(), error.message()));
            return;
        } catch (InvalidVoteException e) {
            Json.send(ctx, 400, new ApiError("invalid_contest", e.field(), e.getMessage()));
            return;
        }
        if (contests.find(contest.id()).isPresent()) {
            Json.send(ctx, 409, new ApiError("contest_exists", "id", "contest '" + contest.id() + "' exists already"));
            return;
        }
        Json.send(ctx, 201, withStatus(contests.put(contest)));
    }

    /** {@code POST /api/admin/contests/{id}/open|close}: opens or closes voting by hand. {@code 404} if unknown. */
    void setState(Context ctx, String state) throws InterruptedException {
        if (!authorized(ctx)) {
            return;
        }
        Optional<Contest> contest = contests.find(ctx.pathParam("contest"));
        if (contest.isEmpty()) {
            Json.send(ctx, 404, new ApiError("unknown_contest", "contest", "there is no contest '"
                    + ctx.pathParam("contest") + "'"));
            return;
        }
        Json.send(ctx, 200, withStatus(contests.put(contest.get().withState(state))));
    }

    /** One audit line per admin call, after it is answered. */
    private void audit(Context ctx) {
        String header = ctx.header("Authorization");
        String who = header == null ? "no token" : header.regionMatches(true, 0, "Bearer ", 0, "Bearer ".length())
                ? "token " + fingerprint(header.substring("Bearer ".length()).strip()) : "a non-bearer credential";
        String contest = ctx.pathParamMap().getOrDefault("contest", "-");
        AUDIT.info("admin {} {} contest={} from={} by={} status={} at={}", ctx.method(), ctx.path(), contest, ctx.ip(),
                who, ctx.statusCode(), clock.instant());
    }

    /** The first 12 hex digits of the SHA-256 of a token: tells tokens apart in the audit, reveals nothing. */
    public static String fingerprint(String token) {
        return HexFormat.of().formatHex(sha256(token), 0, 6);
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    private boolean authorized(Context ctx) {
        if (tokenDigest == null) {
            Json.send(ctx, 403, ApiError.of("admin_disabled",
                    "the admin API is disabled: set OVATION_ADMIN_TOKEN on the ingest to enable it"));
            return false;
        }
        String header = ctx.header("Authorization");
        // the scheme's name is case-insensitive (RFC 9110)
        boolean bearer = header != null && header.regionMatches(true, 0, "Bearer ", 0, "Bearer ".length());
        byte[] given = sha256(bearer ? header.substring("Bearer ".length()).strip() : "");
        // constant time, on digests of equal length: the comparison reveals neither how much of the
        // token matched nor its length
        if (!MessageDigest.isEqual(given, tokenDigest)) {
            ctx.header("WWW-Authenticate", "Bearer");
            Json.send(ctx, 401, ApiError.of("unauthorized", header == null
                    ? "send Authorization: Bearer <the admin token>"
                    : !bearer ? "the Authorization header has no Bearer scheme: send Authorization: Bearer <the admin token>"
                    : "the bearer token is not the admin token"));
            return false;
        }
        return true;
    }

    private ObjectNode withStatus(Contest contest) {
        ObjectNode node = ContestFile.JSON.valueToTree(contest);
        node.put("status", contest.statusAt(clock.instant()));
        return node;
    }
}
