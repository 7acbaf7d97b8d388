package dev.ovation.model;

/**
 * A vote that cannot be accepted as sent. It names the field at fault so that the edge can
 * answer {@code 400} / {@code INVALID_ARGUMENT} with a message a person can act on.
 */
public final class InvalidVoteException extends Exception {

    private final String field;

    public InvalidVoteException(String field, String message) {
        super(message);
        this.field = field;
    }

    /** The field at fault, as named in the API ({@code band}, {@code album}, ...), or {@code body}. */
    public String field() {
        return field;
    }
}
