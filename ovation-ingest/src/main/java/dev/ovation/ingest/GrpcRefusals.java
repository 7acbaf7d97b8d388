package dev.ovation.ingest;

import dev.ovation.model.contest.VoteRefusedException;
import io.grpc.Status;

/** The gRPC status of a vote a contest refuses. */
final class GrpcRefusals {

    private GrpcRefusals() {
    }

    /**
     * NOT_FOUND (unknown contest), FAILED_PRECONDITION (closed), INVALID_ARGUMENT (not in the
     * catalog) or RESOURCE_EXHAUSTED (over a rate limit; the description says when to retry).
     */
    static Status status(VoteRefusedException e) {
        Status status = switch (e.reason()) {
            case UNKNOWN_CONTEST -> Status.NOT_FOUND;
            case CONTEST_CLOSED -> Status.FAILED_PRECONDITION;
            case NOT_IN_CATALOG -> Status.INVALID_ARGUMENT;
            case RATE_LIMITED -> Status.RESOURCE_EXHAUSTED;
        };
        return status.withDescription(e.getMessage());
    }
}
