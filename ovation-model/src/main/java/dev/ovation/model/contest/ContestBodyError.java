package dev.ovation.model.contest;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import java.io.IOException;
import java.time.temporal.Temporal;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * What is wrong with a contest's JSON, said for a person: the field at fault and what it should
 * hold, never a Java class or Jackson's own words.
 *
 * @param field   the field's path ({@code opensAt}, {@code limits.perVoter.perMinute}), or {@code body}
 * @param message what is wrong and what to send instead
 */
public record ContestBodyError(String field, String message) {

    /** The fields a contest has, in the order the docs list them. */
    static final List<String> FIELDS = List.of("id", "title", "catalog", "opensAt", "closesAt", "state",
            "votesPerVoter", "limits");

    /** The error for a body that {@link ContestFile#JSON} could not read as a {@link Contest}. */
    public static ContestBodyError of(IOException e) {
        if (e instanceof JsonParseException) {
            return new ContestBodyError("body", "the body is not JSON (" + where(e) + "): send a JSON object such as"
                    + " {\"id\":\"finals\",\"title\":\"The finals\"}");
        }
        if (!(e instanceof JsonMappingException mapping)) {
            return new ContestBodyError("body", "the body could not be read: send a JSON object");
        }
        String field = path(mapping);
        if (e instanceof UnrecognizedPropertyException unknown) {
            Collection<Object> known = unknown.getKnownPropertyIds();
            return new ContestBodyError(field, "unknown field '" + unknown.getPropertyName() + "'; the fields here are "
                    + known.stream().map(String::valueOf).sorted(ContestBodyError::inDocOrder)
                    .collect(Collectors.joining(", ")));
        }
        if (e instanceof ValueInstantiationException && e.getCause() instanceof NullPointerException missing
                && missing.getMessage() != null) {
            String name = missing.getMessage();
            return new ContestBodyError(name, name + " is required");
        }
        if (e instanceof InvalidFormatException invalid) {
            return new ContestBodyError(field, field + " must be " + expected(invalid.getTargetType()) + ", not '"
                    + invalid.getValue() + "'");
        }
        if (e instanceof MismatchedInputException mismatched) {
            if (field.isEmpty()) {
                return new ContestBodyError("body", "send a JSON object, not " + firstWord(e));
            }
            return new ContestBodyError(field, field + " must be " + expected(mismatched.getTargetType()));
        }
        return new ContestBodyError(field.isEmpty() ? "body" : field, "the contest could not be read: check "
                + (field.isEmpty() ? "the body" : field));
    }

    private static String path(JsonMappingException e) {
        return e.getPath().stream()
                .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                .collect(Collectors.joining(".")).replace(".[", "[");
    }

    private static String expected(Class<?> type) {
        if (type == null) {
            return "of another type";
        }
        if (Temporal.class.isAssignableFrom(type)) {
            return "a date and time in ISO-8601 with its offset, such as 2026-12-24T20:00:00Z";
        }
        if (type == int.class || type == Integer.class || type == long.class || type == Long.class) {
            return "a whole number";
        }
        if (type == String.class) {
            return "a string";
        }
        if (Collection.class.isAssignableFrom(type)) {
            return "a list";
        }
        if (Map.class.isAssignableFrom(type) || type.isRecord()) {
            return "an object";
        }
        return "of another type";
    }

    private static String where(IOException e) {
        if (e instanceof JsonParseException parse && parse.getLocation() != null) {
            return "line " + parse.getLocation().getLineNr() + ", column " + parse.getLocation().getColumnNr();
        }
        return "unreadable";
    }

    private static String firstWord(IOException e) {
        String message = Objects.requireNonNullElse(e.getMessage(), "");
        if (message.contains("from Array value") || message.contains("START_ARRAY")) {
            return "a list";
        }
        if (message.contains("String value") || message.contains("VALUE_STRING")) {
            return "a string";
        }
        return "this value";
    }

    private static int inDocOrder(String a, String b) {
        int i = FIELDS.indexOf(a);
        int j = FIELDS.indexOf(b);
        if (i >= 0 && j >= 0) {
            return Integer.compare(i, j);
        }
        return i >= 0 ? -1 : j >= 0 ? 1 : a.compareTo(b);
    }
}
