package dev.ovation.model;

/**
 * A service a command needs (Kafka, Redis, MongoDB) did not answer; the message names it, its
 * address and the setting to check. Commands exit with {@link ExitCodes#UNREACHABLE} on it, so a
 * script can tell an outage from a wrong result.
 */
public class UnreachableException extends IllegalStateException {

    public UnreachableException(String message, Throwable cause) {
        super(message, cause);
    }
}
