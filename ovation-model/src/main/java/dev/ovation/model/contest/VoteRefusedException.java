package dev.ovation.model.contest;

/**
 * A well-formed vote the contest does not take: unknown contest, closed voting, a band or album
 * outside a closed catalog, or a voter or address sending faster than the contest's
 * {@link RateLimits}. Nothing is published.
 */
public final class VoteRefusedException extends Exception {

    /** Why a vote was refused, with the HTTP status and error code it is answered with. */
    public enum Reason {
        UNKNOWN_CONTEST(404, "unknown_contest"),
        CONTEST_CLOSED(409, "contest_closed"),
        NOT_IN_CATALOG(422, "not_in_catalog"),
        RATE_LIMITED(429, "rate_limited");

        private final int httpStatus;
        private final String code;

        Reason(int httpStatus, String code) {
            this.httpStatus = httpStatus;
            this.code = code;
        }

        public int httpStatus() {
            return httpStatus;
        }

        public String code() {
            return code;
        }
    }

    private final Reason reason;
    private final String field;
    private final long retryAfterSeconds;

    public VoteRefusedException(Reason reason, String field, String message) {
        this(reason, field, message, 0);
    }

    /** @param retryAfterSeconds how long the client should wait before sending again (0: not said) */
    public VoteRefusedException(Reason reason, String field, String message, long retryAfterSeconds) {
        super(message);
        this.reason = reason;
        this.field = field;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    /** How long the client should wait before sending again; 0 when there is nothing to wait for. */
    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }

    public Reason reason() {
        return reason;
    }

    /** The vote field at fault: {@code contest}, {@code band} or {@code album}. */
    public String field() {
        return field;
    }
}
