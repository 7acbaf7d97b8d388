package dev.ovation.model;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The JSON body of every HTTP error Ovation answers:
 * {@code {"error": "invalid_vote", "field": "band", "message": "band is required and must not be empty"}}.
 *
 * @param error   a stable machine-readable code
 * @param field   the request field at fault, when there is one
 * @param message what went wrong and what to do, for a person
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ApiError(String error, String field, String message) {

    public static ApiError of(String error, String message) {
        return new ApiError(error, null, message);
    }
}
