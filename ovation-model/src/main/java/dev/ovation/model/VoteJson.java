package dev.ovation.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * Reads votes from JSON objects, strictly: every field must be a string (or absent, or null), and
 * a field the shape does not know is an error rather than something silently dropped.
 */
public final class VoteJson {

    private static final Set<String> OVATION_FIELDS = Set.of("id", "contest", "band", "album", "year", "rank", "voter");
    private static final Set<String> SEED_FIELDS = Set.of("name", "album", "year", "rank");

    private VoteJson() {
    }

    /**
     * Reads Ovation's shape: {@code {"id", "contest", "band", "album", "year", "rank", "voter"}}.
     *
     * @throws InvalidVoteException when the node is not an object, a field is not a string, or a
     *                              field is unknown
     */
    public static VoteFields readOvation(JsonNode node) throws InvalidVoteException {
        checkShape(node, OVATION_FIELDS, "id, contest, band, album, year, rank, voter");
        return new VoteFields(text(node, "id"), text(node, "contest"), text(node, "band"), text(node, "album"),
                text(node, "year"), text(node, "rank"), text(node, "voter"));
    }

    /**
     * Reads the seed's shape: {@code {"name": band, "album", "year", "rank"}}, for the default contest.
     *
     * @throws InvalidVoteException as {@link #readOvation}; a missing band is reported as {@code name}
     */
    public static VoteFields readSeed(JsonNode node) throws InvalidVoteException {
        checkShape(node, SEED_FIELDS, "name, album, year, rank");
        if (text(node, "name") == null || text(node, "name").isBlank()) {
            throw new InvalidVoteException("name", "name (the band) is required and must not be empty");
        }
        return VoteFields.ofSeed(text(node, "name"), text(node, "album"), text(node, "year"), text(node, "rank"));
    }

    private static void checkShape(JsonNode node, Set<String> known, String knownList) throws InvalidVoteException {
        if (node == null || !node.isObject()) {
            throw new InvalidVoteException("body", "a vote must be a JSON object, not "
                    + (node == null ? "nothing" : node.getNodeType().toString().toLowerCase()));
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            if (!known.contains(field.getKey())) {
                throw new InvalidVoteException(field.getKey(), "unknown field '" + field.getKey()
                        + "'; a vote has: " + knownList);
            }
            JsonNode value = field.getValue();
            if (!value.isTextual() && !value.isNull()) {
                throw new InvalidVoteException(field.getKey(), field.getKey() + " must be a string, not "
                        + value.getNodeType().toString().toLowerCase());
            }
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.textValue();
    }
}
