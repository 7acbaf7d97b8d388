package dev.ovation.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Grafana dashboard's JSON model, read for what its panels ask of their data sources: the PromQL
 * of every Prometheus target, the command of every Redis target (the Redis data source plugin's
 * {@code type: "command"} targets), and the template variables. A target of any other kind of data
 * source is an error, so that a new panel cannot escape the test that runs these queries.
 */
final class GrafanaDashboard {

    static final String PROMETHEUS = "prometheus";
    static final String REDIS = "redis-datasource";

    /** One Prometheus target: the panel's title, the target's refId and its expression. */
    record PromQuery(String panel, String refId, String expr) {
        @Override
        public String toString() {
            return "\"" + panel + "\" " + refId + ": " + expr;
        }
    }

    /** One Redis target: a command on a key, as the plugin sends it. */
    record RedisQuery(String panel, String refId, String command, String keyName) {
        @Override
        public String toString() {
            return "\"" + panel + "\" " + refId + ": " + command.toUpperCase() + " " + keyName;
        }
    }

    /** A query variable: its name, the data source type and uid it asks, and its query. */
    record Variable(String name, String datasourceType, String datasourceUid, String query) {
    }

    /** A data source a panel or variable names. */
    record DataSourceRef(String type, String uid) {
    }

    private static final Pattern VARIABLE = Pattern.compile(
            "\\$\\{([A-Za-z0-9_]+)(?::[A-Za-z]+)?}|\\[\\[([A-Za-z0-9_]+)]]|\\$([A-Za-z0-9_]+)");

    private final JsonNode model;
    private final List<PromQuery> promQueries = new ArrayList<>();
    private final List<RedisQuery> redisQueries = new ArrayList<>();
    private final Set<DataSourceRef> dataSources = new LinkedHashSet<>();

    private GrafanaDashboard(JsonNode model) {
        this.model = model;
        readPanels(model.path("panels"));
        for (Variable v : variables()) {
            dataSources.add(new DataSourceRef(v.datasourceType(), v.datasourceUid()));
        }
    }

    static GrafanaDashboard read(Path file) {
        try {
            return new GrafanaDashboard(OvationClients.JSON.readTree(file.toFile()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the dashboard " + file, e);
        }
    }

    String title() {
        return model.path("title").asText();
    }

    List<PromQuery> prometheusQueries() {
        return List.copyOf(promQueries);
    }

    List<RedisQuery> redisQueries() {
        return List.copyOf(redisQueries);
    }

    Set<DataSourceRef> dataSources() {
        return Set.copyOf(dataSources);
    }

    /** The dashboard's query variables; their {@code query} is the object or string Grafana stores. */
    List<Variable> variables() {
        List<Variable> variables = new ArrayList<>();
        for (JsonNode v : model.path("templating").path("list")) {
            if (!"query".equals(v.path("type").asText())) {
                continue;
            }
            JsonNode query = v.path("query");
            variables.add(new Variable(v.path("name").asText(), v.path("datasource").path("type").asText(),
                    v.path("datasource").path("uid").asText(),
                    query.isObject() ? query.path("query").asText() : query.asText()));
        }
        return variables;
    }

    private void readPanels(JsonNode panels) {
        for (JsonNode panel : panels) {
            readPanels(panel.path("panels")); // a row's panels, when it is collapsed
            for (JsonNode target : panel.path("targets")) {
                JsonNode ds = target.hasNonNull("datasource") ? target.get("datasource") : panel.path("datasource");
                DataSourceRef ref = new DataSourceRef(ds.path("type").asText(), ds.path("uid").asText());
                dataSources.add(ref);
                String title = panel.path("title").asText();
                String refId = target.path("refId").asText();
                switch (ref.type()) {
                    case PROMETHEUS -> promQueries.add(new PromQuery(title, refId, required(target, "expr", title)));
                    case REDIS -> {
                        if (!"command".equals(target.path("type").asText())) {
                            throw new IllegalStateException("panel \"" + title + "\": Redis target of type '"
                                    + target.path("type").asText() + "'; only \"command\" targets are understood here");
                        }
                        redisQueries.add(new RedisQuery(title, refId, required(target, "command", title),
                                required(target, "keyName", title)));
                    }
                    default -> throw new IllegalStateException("panel \"" + title + "\" uses a data source of type '"
                            + ref.type() + "', which the dashboard's test does not know how to query");
                }
            }
        }
    }

    private static String required(JsonNode target, String field, String panel) {
        String value = target.path(field).asText("");
        if (value.isBlank()) {
            throw new IllegalStateException("panel \"" + panel + "\": a target without '" + field + "'");
        }
        return value;
    }

    /**
     * Replaces the dashboard variables in {@code text} ({@code $name}, {@code ${name}},
     * {@code ${name:format}}, {@code [[name]]}) as Grafana would with single values; a variable
     * missing from {@code values} is an error that names it.
     */
    static String substitute(String text, Map<String, String> values) {
        Matcher m = VARIABLE.matcher(text);
        StringBuilder out = new StringBuilder();
        Set<String> unknown = new TreeSet<>();
        while (m.find()) {
            String name = m.group(1) != null ? m.group(1) : m.group(2) != null ? m.group(2) : m.group(3);
            String value = values.get(name);
            if (value == null) {
                unknown.add(name);
                value = m.group();
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("unknown dashboard variable(s) " + unknown + " in: " + text);
        }
        return out.toString();
    }
}
