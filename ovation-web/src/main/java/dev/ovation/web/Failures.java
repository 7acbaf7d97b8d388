package dev.ovation.web;

import dev.ovation.model.ApiError;
import java.util.UUID;
import org.slf4j.Logger;

/**
 * The answer to a failure nobody foresaw: the client gets a reference to quote, never the
 * exception's own words (they may name hosts, files or data); the log gets the whole exception
 * under the same reference.
 */
public final class Failures {

    private Failures() {
    }

    /** Logs {@code error} with a new reference and returns the 500 body that quotes it. */
    public static ApiError internal(Logger log, String what, Throwable error) {
        String reference = UUID.randomUUID().toString();
        log.error("{} (reference {})", what, reference, error);
        return ApiError.of("internal", "the server failed on this request; it is logged with reference " + reference);
    }
}
