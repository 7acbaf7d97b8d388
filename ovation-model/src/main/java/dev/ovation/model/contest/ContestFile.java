package dev.ovation.model.contest;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.ovation.model.ConfigException;
import dev.ovation.model.InvalidVoteException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads and writes contest definitions: a file (YAML or JSON) with a list under {@code contests},
 * and the JSON each contest is stored as.
 *
 * <pre>
 * contests:
 *   - id: seed
 *     title: The seed's three bands
 *     votesPerVoter: 2
 *     catalog:
 *       The Beatles: [Abbey Road, Revolver]
 * </pre>
 */
public final class ContestFile {

    /** Contest JSON: ISO-8601 times, unknown fields refused. */
    public static final ObjectMapper JSON = configure(new ObjectMapper());
    private static final ObjectMapper YAML = configure(new ObjectMapper(new YAMLFactory()));

    private ContestFile() {
    }

    private static ObjectMapper configure(ObjectMapper mapper) {
        return mapper.registerModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    }

    /**
     * Reads the contests of a file, each validated.
     *
     * @throws ConfigException naming the file and what is wrong in it
     */
    public static List<Contest> read(Path file) {
        JsonNode root;
        try {
            root = YAML.readTree(Files.readString(file));
        } catch (IOException e) {
            throw new ConfigException("cannot read contests file " + file + ": " + e.getMessage());
        }
        if (root == null || !root.has("contests") || !root.get("contests").isArray()) {
            throw new ConfigException("contests file " + file + " must hold a list under 'contests'");
        }
        List<Contest> contests = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (JsonNode node : root.get("contests")) {
            Contest contest;
            try {
                contest = ContestRules.validate(YAML.treeToValue(node, Contest.class));
            } catch (IOException e) {
                throw new ConfigException("contests file " + file + ": " + e.getMessage());
            } catch (InvalidVoteException e) {
                throw new ConfigException("contests file " + file + ", contest " + node.path("id").asText("?")
                        + ": " + e.getMessage());
            }
            if (!ids.add(contest.id())) {
                throw new ConfigException("contests file " + file + " defines contest '" + contest.id() + "' twice");
            }
            contests.add(contest);
        }
        return contests;
    }
}
