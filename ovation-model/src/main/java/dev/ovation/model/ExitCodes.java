package dev.ovation.model;

/** How every {@code ovation} command ends, for scripts. */
public final class ExitCodes {

    /** Done; for {@code recount}, the tallies agree (or were repaired). */
    public static final int OK = 0;
    /** The command ran and the answer is no: {@code recount} found differences, a role failed. */
    public static final int FAILED = 1;
    /** A bad option, argument or setting; nothing was done. */
    public static final int USAGE = 2;
    /** Kafka, Redis or MongoDB could not be reached; nothing can be said of the result. */
    public static final int UNREACHABLE = 3;

    private ExitCodes() {
    }
}
