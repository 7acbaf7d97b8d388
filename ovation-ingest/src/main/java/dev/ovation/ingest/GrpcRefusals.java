package dev.ovation.ingest;

import io.grpc.Status;

/** The gRPC status of a vote that got no receipt: the wire of {@link VoteRefusal} for every gRPC edge. */
final class GrpcRefusals {

    private GrpcRefusals() {
    }

    /**
     * INVALID_ARGUMENT (invalid, or not in the catalog), NOT_FOUND (unknown contest),
     * FAILED_PRECONDITION (closed), RESOURCE_EXHAUSTED (over a rate limit; the description says when
     * to retry) or UNAVAILABLE (not acknowledged by Kafka: retry with the same id).
     */
    static Status.Code code(VoteRefusal.Kind kind) {
        return switch (kind) {
            case INVALID, NOT_IN_CATALOG -> Status.Code.INVALID_ARGUMENT;
            case UNKNOWN_CONTEST -> Status.Code.NOT_FOUND;
            case CONTEST_CLOSED -> Status.Code.FAILED_PRECONDITION;
            case RATE_LIMITED -> Status.Code.RESOURCE_EXHAUSTED;
            case UNAVAILABLE -> Status.Code.UNAVAILABLE;
        };
    }

    /** The refusal's message; a vote not stored is named by its id, the one to retry with. */
    static String description(VoteRefusal refusal) {
        return refusal.kind() == VoteRefusal.Kind.UNAVAILABLE
                ? "vote " + refusal.id() + ": " + refusal.message() : refusal.message();
    }

    /** The status a unary call fails with. */
    static Status status(VoteRefusal refusal) {
        return code(refusal.kind()).toStatus().withDescription(description(refusal));
    }
}
