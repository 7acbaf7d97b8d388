package dev.ovation.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * deploy/k8s/components/monitoring, added to overlays/prod as an overlay of one's own adds it: its
 * documents parse strictly; its PrometheusRule carries exactly the groups of deploy/prometheus/alerts.yml;
 * a PodMonitor per role scrapes that role's pods, with the role as the job the rules expect, on the
 * port its pods declare for {@code /metrics} (the port the base's Prometheus scrapes); its
 * NetworkPolicies let the operator's Prometheus reach those ports and no other. The overlay's own
 * documents are OverlayModelTest's.
 */
class MonitoringComponentTest {

    static final String COMPONENT = "deploy/k8s/components/monitoring";
    private static final String REMAKE = "deploy/k8s/components/monitoring/prometheusrule.yaml differs from "
            + AlertRulesTest.RULES + ": make it again with the command at its top";
    private static final String NETWORK_POLICY = "networking.k8s.io/v1/NetworkPolicy";
    private static final Set<String> WORKLOADS = Set.of("apps/v1/Deployment", "apps/v1/StatefulSet",
            "apps/v1/DaemonSet", "batch/v1/Job", "batch/v1/CronJob");

    static Manifests prodWithMonitoring() {
        return Kustomize.withComponent("prod", COMPONENT);
    }

    @Test
    void shouldAddItsDocumentsAndParseThemStrictly() {
        Manifests manifests = prodWithMonitoring();
        List<JsonNode> added = added(manifests);
        List<String> errors = new ArrayList<>();
        for (JsonNode document : added) {
            try {
                StrictModel.parse(document);
            } catch (IllegalArgumentException e) {
                errors.add(e.getMessage());
            }
        }

        assertThat(errors).isEmpty();
        assertThat(added.stream().map(d -> StrictModel.typeOf(d) + " " + d.at("/metadata/name").asText()).sorted())
                .containsExactly(
                        MonitoringSchema.POD_MONITOR + " counter",
                        MonitoringSchema.POD_MONITOR + " ingest",
                        MonitoringSchema.POD_MONITOR + " results",
                        MonitoringSchema.PROMETHEUS_RULE + " ovation",
                        NETWORK_POLICY + " prometheus-operator-counter",
                        NETWORK_POLICY + " prometheus-operator-management");
        added.forEach(d -> assertThat(d.at("/metadata/namespace").asText()).isEqualTo("ovation"));
    }

    @Test
    void shouldRejectAMisspeltPodMonitorField() {
        JsonNode monitor = Kustomize.parse("""
                apiVersion: monitoring.coreos.com/v1
                kind: PodMonitor
                metadata: {name: counter}
                spec:
                  selector: {matchLabels: {app.kubernetes.io/name: counter}}
                  podMetricEndpoints: [{port: http, path: /metrics}]
                """).get(0);

        assertThatThrownBy(() -> StrictModel.parse(monitor))
                .hasMessageContaining(".spec.podMetricEndpoints is not a field")
                .hasMessageContaining(".spec.podMetricsEndpoints is required");
    }

    @Test
    void shouldCarryExactlyTheGroupsOfThePlainRuleFile() {
        JsonNode plain = Kustomize.parse(Repository.read(AlertRulesTest.RULES)).get(0).path("groups");
        JsonNode rule = prodWithMonitoring().raw(MonitoringSchema.PROMETHEUS_RULE).get(0).at("/spec/groups");

        assertThat(differingAlerts(rule, plain)).as(REMAKE).isEmpty();
        assertThat(rule).as(REMAKE).isEqualTo(plain);
        assertThat(plain.findValues("alert")).hasSize(AlertRulesTest.alerts().size());
    }

    @Test
    void shouldNoticeAnAlertThatDiffersBetweenTheTwo() {
        JsonNode plain = Kustomize.parse(Repository.read(AlertRulesTest.RULES)).get(0).path("groups");
        JsonNode changed = plain.deepCopy();
        ((ObjectNode) changed.at("/0/rules/0")).put("for", "1h");

        assertThat(differingAlerts(changed, plain)).containsExactly(plain.at("/0/rules/0/alert").asText());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"ingest", "counter", "results"})
    void shouldScrapeEachRoleAsTheJobTheRulesExpectOnThePortOfItsMetrics(String role) {
        Manifests manifests = prodWithMonitoring();
        JsonNode monitor = named(manifests.raw(MonitoringSchema.POD_MONITOR), role);
        Deployment deployment = (Deployment) StrictModel.parse(named(manifests.raw("apps/v1/Deployment"), role));
        Map<String, String> podLabels = deployment.getSpec().getTemplate().getMetadata().getLabels();

        // the pods it selects: the role's, and no other workload's
        assertThat(selected(manifests, monitor.at("/spec/selector"))).containsExactly("apps/v1/Deployment " + role);
        assertThat(monitor.at("/spec/namespaceSelector").isMissingNode()).as("its own namespace only").isTrue();

        // job = the pod's label named by jobLabel = the job the rules expect of the role
        assertThat(podLabels.get(monitor.at("/spec/jobLabel").asText())).isEqualTo(role);
        assertThat(Repository.read(AlertRulesTest.RULES)).contains("up{job=\"" + role + "\"}");

        JsonNode endpoints = monitor.at("/spec/podMetricsEndpoints");
        assertThat(endpoints).hasSize(1);
        assertThat(endpoints.get(0).path("path").asText()).isEqualTo("/metrics");
        String port = endpoints.get(0).path("port").asText();
        Optional<ContainerPort> declared = deployment.getSpec().getTemplate().getSpec().getContainers().stream()
                .flatMap(c -> c.getPorts().stream()).filter(p -> port.equals(p.getName())).findFirst();
        assertThat(declared).as("a port named %s of %s's pods", port, role).isPresent();
        String annotated = deployment.getSpec().getTemplate().getMetadata().getAnnotations().get("prometheus.io/port");
        assertThat(declared.get().getContainerPort()).as("the port the base's Prometheus scrapes (prometheus.io/port)")
                .isEqualTo(Integer.parseInt(Objects.requireNonNull(annotated)));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"ingest", "counter", "results"})
    void shouldLetTheOperatorsPrometheusReachTheScrapedPortAndNoOther(String role) {
        Manifests manifests = prodWithMonitoring();
        JsonNode monitor = named(manifests.raw(MonitoringSchema.POD_MONITOR), role);
        Map<String, String> podLabels = new LinkedHashMap<>();
        named(manifests.raw("apps/v1/Deployment"), role).at("/spec/template/metadata/labels").fields()
                .forEachRemaining(e -> podLabels.put(e.getKey(), e.getValue().asText()));

        Set<String> ports = new TreeSet<>();
        for (JsonNode policy : added(manifests)) {
            if (!StrictModel.typeOf(policy).equals(NETWORK_POLICY) || !selects(policy.at("/spec/podSelector"), podLabels)) {
                continue;
            }
            for (JsonNode rule : policy.at("/spec/ingress")) {
                for (JsonNode peer : rule.path("from")) {
                    assertThat(peer.at("/namespaceSelector/matchLabels/kubernetes.io~1metadata.name").asText())
                            .isEqualTo("monitoring");
                    assertThat(peer.at("/podSelector/matchLabels/app.kubernetes.io~1name").asText()).isEqualTo("prometheus");
                }
                rule.path("ports").forEach(p -> ports.add(p.path("port").asText()));
            }
        }

        assertThat(ports).containsExactly(monitor.at("/spec/podMetricsEndpoints/0/port").asText());
    }

    /** The alerts whose rule is not the same in both lists of groups, or is in one only. */
    static Set<String> differingAlerts(JsonNode groups, JsonNode expected) {
        Map<String, JsonNode> left = rulesByAlert(groups);
        Map<String, JsonNode> right = rulesByAlert(expected);
        Set<String> names = new TreeSet<>(left.keySet());
        names.addAll(right.keySet());
        Set<String> differing = new TreeSet<>();
        for (String name : names) {
            if (!Objects.equals(left.get(name), right.get(name))) {
                differing.add(name);
            }
        }
        return differing;
    }

    private static Map<String, JsonNode> rulesByAlert(JsonNode groups) {
        Map<String, JsonNode> rules = new LinkedHashMap<>();
        groups.forEach(group -> group.path("rules").forEach(rule -> rules.put(rule.path("alert").asText(), rule)));
        return rules;
    }

    /** The documents the component adds to the overlay. */
    private static List<JsonNode> added(Manifests manifests) {
        Set<String> before = new TreeSet<>();
        Kustomize.overlay("prod").documents().forEach(d -> before.add(id(d)));
        return manifests.documents().stream().filter(d -> !before.contains(id(d))).toList();
    }

    private static String id(JsonNode document) {
        return StrictModel.typeOf(document) + " " + document.at("/metadata/namespace").asText() + "/"
                + document.at("/metadata/name").asText();
    }

    private static JsonNode named(List<JsonNode> documents, String name) {
        return documents.stream().filter(d -> d.at("/metadata/name").asText().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no document named " + name));
    }

    /** The workloads whose pods the label selector selects, as {@code apiVersion/kind name}. */
    private static List<String> selected(Manifests manifests, JsonNode selector) {
        List<String> selected = new ArrayList<>();
        for (JsonNode document : manifests.documents()) {
            String type = StrictModel.typeOf(document);
            if (!WORKLOADS.contains(type)) {
                continue;
            }
            JsonNode template = type.equals("batch/v1/CronJob") ? document.at("/spec/jobTemplate/spec/template")
                    : document.at("/spec/template");
            Map<String, String> labels = new LinkedHashMap<>();
            template.at("/metadata/labels").fields().forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
            if (selects(selector, labels)) {
                selected.add(type + " " + document.at("/metadata/name").asText());
            }
        }
        return selected;
    }

    /** Whether a label selector (matchLabels, and matchExpressions with In) selects these labels. */
    static boolean selects(JsonNode selector, Map<String, String> labels) {
        boolean all = true;
        for (var entry : (Iterable<Map.Entry<String, JsonNode>>) () -> selector.path("matchLabels").fields()) {
            all &= entry.getValue().asText().equals(labels.get(entry.getKey()));
        }
        for (JsonNode expression : selector.path("matchExpressions")) {
            assertThat(expression.path("operator").asText()).as("operators this test reads").isEqualTo("In");
            List<String> values = new ArrayList<>();
            expression.path("values").forEach(v -> values.add(v.asText()));
            all &= values.contains(labels.get(expression.path("key").asText()));
        }
        return all;
    }
}
