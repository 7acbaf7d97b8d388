package dev.ovation.model;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Reads votes from JSON objects, strictly: every field must be a string (or absent, or null), and
 * a field the shape does not know, or one given twice, is an error rather than something silently
 * dropped or overwritten.
 *
 * <p>The readers work on a streaming {@link JsonParser}, so that the edge decodes a body straight
 * into {@link VoteFields} without building a tree; the {@link JsonNode} forms read a tree the same way.
 */
public final class VoteJson {

    private static final String OVATION_LIST = "id, contest, band, album, year, rank, voter";
    private static final String SEED_LIST = "name, album, year, rank";

    private VoteJson() {
    }

    /**
     * Reads Ovation's shape: {@code {"id", "contest", "band", "album", "year", "rank", "voter"}}.
     *
     * @throws InvalidVoteException when the node is not an object, a field is not a string, or a
     *                              field is unknown
     */
    public static VoteFields readOvation(JsonNode node) throws InvalidVoteException {
        requireNode(node);
        try (JsonParser parser = traverse(node)) {
            return readOvation(parser);
        } catch (IOException e) {
            throw new UncheckedIOException("reading a JSON tree cannot fail", e);
        }
    }

    /**
     * Reads the seed's shape: {@code {"name": band, "album", "year", "rank"}}, for the default contest.
     *
     * @throws InvalidVoteException as {@link #readOvation}; a missing band is reported as {@code name}
     */
    public static VoteFields readSeed(JsonNode node) throws InvalidVoteException {
        requireNode(node);
        try (JsonParser parser = traverse(node)) {
            return readSeed(parser);
        } catch (IOException e) {
            throw new UncheckedIOException("reading a JSON tree cannot fail", e);
        }
    }

    /**
     * Reads one vote in Ovation's shape from a parser whose current token starts the value (the
     * caller has called {@code nextToken()}). The whole value is consumed even when it is refused,
     * so a caller reading an array of votes can go on with the next one; the parser is then on the
     * value's last token.
     *
     * @throws InvalidVoteException as {@link #readOvation(JsonNode)}, naming the first field at fault
     * @throws IOException          when the JSON itself is malformed (checked before any field error)
     */
    public static VoteFields readOvation(JsonParser parser) throws IOException, InvalidVoteException {
        String[] values = readObject(parser, Shape.OVATION);
        return new VoteFields(values[0], values[1], values[2], values[3], values[4], values[5], values[6]);
    }

    /**
     * Reads one vote in the seed's shape, as {@link #readOvation(JsonParser)} does.
     *
     * @throws InvalidVoteException as {@link #readSeed(JsonNode)}
     * @throws IOException          when the JSON itself is malformed
     */
    public static VoteFields readSeed(JsonParser parser) throws IOException, InvalidVoteException {
        String[] values = readObject(parser, Shape.SEED);
        String name = values[0];
        if (name == null || name.isBlank()) {
            throw new InvalidVoteException("name", "name (the band) is required and must not be empty");
        }
        return VoteFields.ofSeed(name, values[1], values[2], values[3]);
    }

    /** The fields of a shape, in the order of its values array. */
    private enum Shape {
        OVATION(OVATION_LIST, "id", "contest", "band", "album", "year", "rank", "voter"),
        SEED(SEED_LIST, "name", "album", "year", "rank");

        private final String knownList;
        private final String[] fields;

        Shape(String knownList, String... fields) {
            this.knownList = knownList;
            this.fields = fields;
        }

        int indexOf(String field) {
            for (int i = 0; i < fields.length; i++) {
                if (fields[i].equals(field)) {
                    return i;
                }
            }
            return -1;
        }
    }

    private static String[] readObject(JsonParser parser, Shape shape) throws IOException, InvalidVoteException {
        JsonToken start = parser.currentToken();
        if (start != JsonToken.START_OBJECT) {
            parser.skipChildren();
            throw new InvalidVoteException("body", "a vote must be a JSON object, not " + typeOf(start));
        }
        String[] values = new String[shape.fields.length];
        int seen = 0;
        InvalidVoteException first = null;
        for (JsonToken token = parser.nextToken(); token != JsonToken.END_OBJECT; token = parser.nextToken()) {
            // Field names alternate with values until END_OBJECT; a malformed body fails in nextToken().
            String field = parser.currentName();
            JsonToken value = parser.nextToken();
            int index = shape.indexOf(field);
            if (first != null) {
                parser.skipChildren();
            } else if (index < 0) {
                first = new InvalidVoteException(field, "unknown field '" + field + "'; a vote has: " + shape.knownList);
                parser.skipChildren();
            } else if ((seen & 1 << index) != 0) {
                first = new InvalidVoteException(field, "field '" + field + "' is given twice");
                parser.skipChildren();
            } else if (value == JsonToken.VALUE_STRING) {
                values[index] = parser.getText();
            } else if (value != JsonToken.VALUE_NULL) {
                first = new InvalidVoteException(field, field + " must be a string, not " + typeOf(value));
                parser.skipChildren();
            }
            if (index >= 0) {
                seen |= 1 << index;
            }
        }
        if (first != null) {
            throw first;
        }
        return values;
    }

    /** The JSON type of a value's first token, named as in {@code JsonNodeType}. */
    private static String typeOf(JsonToken token) {
        if (token == null) {
            return "nothing";
        }
        return switch (token) {
            case START_OBJECT -> "object";
            case START_ARRAY -> "array";
            case VALUE_STRING -> "string";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "number";
            case VALUE_TRUE, VALUE_FALSE -> "boolean";
            case VALUE_NULL -> "null";
            default -> token.name().toLowerCase();
        };
    }

    private static void requireNode(JsonNode node) throws InvalidVoteException {
        if (node == null) {
            throw new InvalidVoteException("body", "a vote must be a JSON object, not nothing");
        }
    }

    private static JsonParser traverse(JsonNode node) throws IOException {
        JsonParser parser = node.traverse();
        parser.nextToken();
        return parser;
    }
}
