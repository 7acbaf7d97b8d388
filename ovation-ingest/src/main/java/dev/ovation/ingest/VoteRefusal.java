package dev.ovation.ingest;

import dev.ovation.model.InvalidVoteException;
import dev.ovation.model.contest.VoteRefusedException;
import java.util.concurrent.CompletionException;

/**
 * Why a vote got no receipt, in the terms every edge maps to its wire ({@link VoteHttpApi}: a
 * status and a JSON error; {@link GrpcRefusals}: a gRPC status).
 *
 * @param kind              what kept the vote out
 * @param field             the vote field at fault ({@code body} when it could not be decoded); null
 *                          when no field is ({@link Kind#RATE_LIMITED}, {@link Kind#UNAVAILABLE})
 * @param message           for a person: what was wrong and what to do
 * @param retryAfterSeconds how long the client should wait before sending again; 0 when not said
 * @param id                the vote's id when it was published but not acknowledged
 *                          ({@link Kind#UNAVAILABLE}), so that a client that sent none can retry
 *                          safely; null otherwise
 * @param contest           that vote's contest; null otherwise
 */
record VoteRefusal(Kind kind, String field, String message, long retryAfterSeconds, String id, String contest) {

    /**
     * What kept a vote out; {@link #label()} is its {@code reason} in {@code ovation_votes_refused_total},
     * and a contest's refusals carry the model's {@link VoteRefusedException.Reason}.
     */
    enum Kind {
        /** Malformed, or breaking a rule every vote keeps (a missing band, a bad id); names the field. */
        INVALID(IngestMetrics.INVALID, null),
        /** No such contest. */
        UNKNOWN_CONTEST(VoteRefusedException.Reason.UNKNOWN_CONTEST),
        /** The contest is closed, or not open yet. */
        CONTEST_CLOSED(VoteRefusedException.Reason.CONTEST_CLOSED),
        /** A band or album outside the contest's closed catalog. */
        NOT_IN_CATALOG(VoteRefusedException.Reason.NOT_IN_CATALOG),
        /** Over the contest's rate limit for the voter or the client address. */
        RATE_LIMITED(VoteRefusedException.Reason.RATE_LIMITED),
        /** Kafka did not acknowledge the vote in time: it may or may not be stored. */
        UNAVAILABLE(IngestMetrics.UNAVAILABLE, null);

        private final String label;
        private final VoteRefusedException.Reason reason;

        Kind(VoteRefusedException.Reason reason) {
            this(reason.code(), reason);
        }

        Kind(String label, VoteRefusedException.Reason reason) {
            this.label = label;
            this.reason = reason;
        }

        /** The reason label of the metrics; for a contest's refusals, also the API's error code. */
        String label() {
            return label;
        }

        /** A contest's reason (its HTTP status and error code); null for INVALID and UNAVAILABLE. */
        VoteRefusedException.Reason reason() {
            return reason;
        }

        static Kind of(VoteRefusedException.Reason reason) {
            return switch (reason) {
                case UNKNOWN_CONTEST -> UNKNOWN_CONTEST;
                case CONTEST_CLOSED -> CONTEST_CLOSED;
                case NOT_IN_CATALOG -> NOT_IN_CATALOG;
                case RATE_LIMITED -> RATE_LIMITED;
            };
        }
    }

    /** A vote the edge could not decode, or the validator refused. */
    static VoteRefusal invalid(InvalidVoteException e) {
        return new VoteRefusal(Kind.INVALID, e.field(), e.getMessage(), 0, null, null);
    }

    /** A valid vote its contest does not take, or not this fast. */
    static VoteRefusal refused(VoteRefusedException e) {
        return new VoteRefusal(Kind.of(e.reason()), e.field(), e.getMessage(), e.retryAfterSeconds(), null, null);
    }

    /**
     * A vote Kafka did not acknowledge: {@code error} is how the publisher's future failed (a
     * {@link VoteNotStoredException}, possibly wrapped). The message is the publisher's own, which
     * tells the client what to do; Kafka's words stay in the log.
     */
    static VoteRefusal notStored(Throwable error) {
        Throwable cause = rootCause(error);
        if (cause instanceof VoteNotStoredException notStored) {
            return new VoteRefusal(Kind.UNAVAILABLE, null, notStored.getMessage(), 0, notStored.vote().id(),
                    notStored.vote().contest());
        }
        // not a way the publisher fails; answered all the same, so that no client waits for ever
        return new VoteRefusal(Kind.UNAVAILABLE, null, String.valueOf(cause.getMessage()), 0, null, null);
    }

    /** The failure a {@link CompletionException} (one or several deep) stands for. */
    static Throwable rootCause(Throwable error) {
        Throwable t = error;
        while (t instanceof CompletionException && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }
}
