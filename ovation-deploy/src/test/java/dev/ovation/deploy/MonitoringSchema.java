package dev.ovation.deploy;

import java.util.Map;
import java.util.Set;

/**
 * The Prometheus Operator's PodMonitor and PrometheusRule (monitoring.coreos.com/v1) have no Java model
 * here either, so they are checked, with {@link KedaSchema}'s parts, against the fields Ovation's
 * monitoring component uses: an unknown field, a wrong type or a missing required field is an error,
 * as it would be for the API server with the operator's CRDs installed.
 */
final class MonitoringSchema {

    static final String POD_MONITOR = "monitoring.coreos.com/v1/PodMonitor";
    static final String PROMETHEUS_RULE = "monitoring.coreos.com/v1/PrometheusRule";

    private static final KedaSchema TEXT = new KedaSchema.Text();
    private static final KedaSchema WHOLE_NUMBER = new KedaSchema.Integer();
    private static final KedaSchema FLAG = new KedaSchema.Flag();
    private static final KedaSchema STRINGS = new KedaSchema.Strings();
    /** Relabelings: Prometheus's own schema, not checked here. */
    private static final KedaSchema ANYTHING = new KedaSchema.Anything();

    private static final KedaSchema.Fields METADATA = new KedaSchema.Fields(Map.of("name", TEXT, "namespace", TEXT,
            "labels", STRINGS, "annotations", STRINGS), Set.of("name"));

    private static final KedaSchema.Fields POD_METRICS_ENDPOINT = new KedaSchema.Fields(Map.of(
            "port", TEXT, "portNumber", WHOLE_NUMBER, "path", TEXT, "scheme", TEXT, "interval", TEXT,
            "scrapeTimeout", TEXT, "honorLabels", FLAG, "relabelings", ANYTHING, "metricRelabelings", ANYTHING),
            Set.of());

    private static final KedaSchema.Fields POD_MONITOR_SPEC = new KedaSchema.Fields(Map.of(
            "jobLabel", TEXT,
            "podTargetLabels", new KedaSchema.ListOf(TEXT),
            "selector", new KedaSchema.Fields(Map.of("matchLabels", STRINGS, "matchExpressions", ANYTHING), Set.of()),
            "namespaceSelector", new KedaSchema.Fields(Map.of("any", FLAG, "matchNames", new KedaSchema.ListOf(TEXT)),
                    Set.of()),
            "podMetricsEndpoints", new KedaSchema.ListOf(POD_METRICS_ENDPOINT),
            "sampleLimit", WHOLE_NUMBER),
            Set.of("selector", "podMetricsEndpoints"));

    /** A rule as Prometheus's rule files have it: an alert or a recording rule. */
    private static final KedaSchema.Fields RULE = new KedaSchema.Fields(Map.of("alert", TEXT, "record", TEXT,
            "expr", TEXT, "for", TEXT, "keep_firing_for", TEXT, "labels", STRINGS, "annotations", STRINGS),
            Set.of("expr"));

    private static final KedaSchema.Fields RULE_GROUP = new KedaSchema.Fields(Map.of("name", TEXT, "interval", TEXT,
            "limit", WHOLE_NUMBER, "rules", new KedaSchema.ListOf(RULE)), Set.of("name", "rules"));

    private static final KedaSchema.Fields PROMETHEUS_RULE_SPEC = new KedaSchema.Fields(Map.of(
            "groups", new KedaSchema.ListOf(RULE_GROUP)), Set.of("groups"));

    /** The schema of each kind, by {@code apiVersion/kind}. */
    static final Map<String, KedaSchema> KINDS = Map.of(
            POD_MONITOR, document(POD_MONITOR_SPEC),
            PROMETHEUS_RULE, document(PROMETHEUS_RULE_SPEC));

    private MonitoringSchema() {
    }

    private static KedaSchema document(KedaSchema spec) {
        return new KedaSchema.Fields(Map.of("apiVersion", TEXT, "kind", TEXT, "metadata", METADATA, "spec", spec),
                Set.of("apiVersion", "kind", "metadata", "spec"));
    }
}
