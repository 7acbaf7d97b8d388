package dev.ovation.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Prometheus's relabelling of a discovered target, for the actions the base's configuration uses: keep,
 * drop and replace, with Prometheus's defaults (regex {@code (.*)}, anchored; separator {@code ;};
 * replacement {@code $1}). An action it does not know fails the test rather than being skipped.
 */
final class Relabel {

    private Relabel() {
    }

    /** The target's labels after the configs, or none when a keep or drop removes it. */
    static Optional<Map<String, String>> apply(JsonNode configs, Map<String, String> discovered) {
        Map<String, String> labels = new TreeMap<>(discovered);
        for (JsonNode config : configs) {
            List<String> values = new ArrayList<>();
            config.path("source_labels").forEach(l -> values.add(labels.getOrDefault(l.asText(), "")));
            String value = String.join(config.path("separator").asText(";"), values);
            Matcher matcher = Pattern.compile("^(?:" + config.path("regex").asText("(.*)") + ")$").matcher(value);
            String action = config.path("action").asText("replace");
            switch (action) {
                case "keep" -> {
                    if (!matcher.matches()) {
                        return Optional.empty();
                    }
                }
                case "drop" -> {
                    if (matcher.matches()) {
                        return Optional.empty();
                    }
                }
                case "replace" -> {
                    if (matcher.matches()) {
                        String replaced = matcher.replaceFirst(config.path("replacement").asText("$1")
                                .replaceAll("\\$\\{(\\d+)}", "\\$$1"));
                        String target = config.path("target_label").asText();
                        if (replaced.isEmpty()) {
                            labels.remove(target);
                        } else {
                            labels.put(target, replaced);
                        }
                    }
                }
                default -> throw new IllegalArgumentException("relabel action " + action + " is not simulated");
            }
        }
        return Optional.of(labels);
    }
}
