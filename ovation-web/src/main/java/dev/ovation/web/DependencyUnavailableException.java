package dev.ovation.web;

/**
 * A store a request needs (Redis, MongoDB, Kafka) did not answer; the request gets {@code 503}
 * with this message rather than a {@code 500}.
 */
public final class DependencyUnavailableException extends RuntimeException {

    public DependencyUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
