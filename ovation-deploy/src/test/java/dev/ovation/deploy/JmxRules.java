package dev.ovation.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The rules of a Prometheus JMX exporter configuration (the Kafka's metricsConfig), applied as the exporter
 * applies them: an MBean attribute is the text {@code domain<key=value, ...><>Attribute: value}, each rule's
 * pattern is wrapped in {@code ^.*(?:pattern).*$}, the first rule that matches names the metric, the name
 * is lower-cased with {@code lowercaseOutputName}, every run of characters a metric name may not hold
 * becomes one underscore, and a counter's name ends in {@code _total} (jmx_exporter 1.x, as Strimzi runs it).
 */
record JmxRules(boolean lowercaseOutputName, List<Rule> rules) {

    record Rule(Pattern pattern, String name, String type, Map<String, String> labels) {
    }

    /** A metric the rules make of an attribute: its name and its labels' names. */
    record Metric(String name, List<String> labels) {
    }

    static JmxRules parse(String configuration) {
        JsonNode root = Kustomize.parse(configuration).get(0);
        List<Rule> rules = new ArrayList<>();
        for (JsonNode rule : root.path("rules")) {
            Map<String, String> labels = new LinkedHashMap<>();
            rule.path("labels").fields().forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
            rules.add(new Rule(Pattern.compile("^.*(?:" + rule.path("pattern").asText() + ").*$"),
                    rule.path("name").asText(), rule.path("type").asText("UNTYPED"), labels));
        }
        return new JmxRules(root.path("lowercaseOutputName").asBoolean(false), rules);
    }

    /** The metric the first matching rule makes of {@code attribute}, or none when no rule matches. */
    Optional<Metric> apply(String attribute) {
        for (Rule rule : rules) {
            Matcher matcher = rule.pattern().matcher(attribute);
            if (!matcher.matches()) {
                continue;
            }
            String name = safe(matcher.replaceFirst(rule.name()));
            if (lowercaseOutputName) {
                name = name.toLowerCase();
            }
            if (rule.type().equals("COUNTER") && !name.endsWith("_total")) {
                name += "_total";
            }
            List<String> labels = new ArrayList<>();
            for (String label : rule.labels().keySet()) {
                matcher.reset();
                matcher.matches();
                labels.add(safe(matcher.replaceFirst(label)));
            }
            return Optional.of(new Metric(name, labels));
        }
        return Optional.empty();
    }

    private static String safe(String name) {
        return name.replaceAll("[^a-zA-Z0-9:_]+", "_").replaceAll("_+", "_");
    }
}
