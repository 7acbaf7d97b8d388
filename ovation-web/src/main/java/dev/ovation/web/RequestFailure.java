package dev.ovation.web;

import dev.ovation.model.ApiError;
import java.util.Optional;
import org.eclipse.jetty.http.HttpException;

/**
 * A request that Jetty found at fault while it was read (its body came too slowly, or was not
 * well-formed HTTP), answered with the status Jetty gave it and the project's error body, not as a
 * failure of the server (500).
 *
 * @param status the HTTP status, 4xx
 * @param body   {@code {"error": "request_timeout", "message": "..."}}
 */
public record RequestFailure(int status, ApiError body) {

    /** The answer to {@code failure} when it, or one of its causes, is Jetty's verdict on the request. */
    public static Optional<RequestFailure> of(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof HttpException http && http.getCode() >= 400 && http.getCode() < 500) {
                String reason = http.getReason() != null ? http.getReason()
                        : "the request could not be read (HTTP " + http.getCode() + ")";
                return Optional.of(new RequestFailure(http.getCode(), ApiError.of(code(http.getCode()), reason)));
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return Optional.empty();
    }

    /** The {@code error} code of an answer with this status. */
    static String code(int status) {
        return switch (status) {
            case 400 -> "bad_request";
            case 404 -> "not_found";
            case 405 -> "method_not_allowed";
            case 408 -> "request_timeout";
            case 413 -> "too_large";
            case 503 -> "unavailable";
            default -> "http_" + status;
        };
    }
}
