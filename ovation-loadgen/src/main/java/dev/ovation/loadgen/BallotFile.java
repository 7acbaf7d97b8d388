package dev.ovation.loadgen;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads votes in the seed's shape: a JSON array of {@code {"name": band, "album", "year", "rank"}}.
 * The project ships the seed's 650 votes as the resource {@value #SEED_RESOURCE}.
 */
final class BallotFile {

    /** The seed's traffic, inside the launcher jar. */
    static final String SEED_RESOURCE = "/samples/seed-traffic.json";
    /** What {@code --votes-file} names the shipped seed traffic. */
    static final String SEED = "seed";

    private BallotFile() {
    }

    /** The JSON of {@code --votes-file} or {@code --catalog}: {@value #SEED} for the shipped seed traffic, or a path. */
    static JsonNode load(ObjectMapper json, String fileOrSeed) {
        try {
            if (fileOrSeed.equals(SEED)) {
                try (InputStream in = BallotFile.class.getResourceAsStream(SEED_RESOURCE)) {
                    if (in == null) {
                        throw new IllegalArgumentException(SEED_RESOURCE + " is not on the classpath; pass --votes-file");
                    }
                    return json.readTree(in);
                }
            }
            return json.readTree(Files.readAllBytes(Path.of(fileOrSeed)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + fileOrSeed + ": " + e.getMessage(), e);
        }
    }

    /**
     * The ballots of a seed-shaped array.
     *
     * @throws IllegalArgumentException naming the entry at fault
     */
    static List<Ballot> read(JsonNode root, String origin) {
        if (!root.isArray()) {
            throw new IllegalArgumentException(origin + ": votes must be a JSON array of {\"name\", \"album\", \"year\", \"rank\"}");
        }
        List<Ballot> ballots = new ArrayList<>(root.size());
        for (int i = 0; i < root.size(); i++) {
            JsonNode v = root.get(i);
            String name = text(v, "name");
            String album = text(v, "album");
            if (name.isBlank() || album.isBlank()) {
                throw new IllegalArgumentException(origin + ": vote " + i + " needs a \"name\" (the band) and an \"album\"");
            }
            ballots.add(new Ballot(name, album, text(v, "year"), text(v, "rank")));
        }
        return ballots;
    }

    private static String text(JsonNode vote, String field) {
        JsonNode value = vote.get(field);
        return value == null || value.isNull() ? "" : value.asText();
    }
}
