package dev.ovation.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.ContainerPortBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.strimzi.api.kafka.model.common.metrics.JmxPrometheusExporterMetrics;
import io.strimzi.api.kafka.model.kafka.Kafka;
import io.strimzi.api.kafka.model.kafka.exporter.KafkaExporterSpec;
import io.strimzi.api.kafka.model.kafka.listener.GenericKafkaListener;
import io.strimzi.api.kafka.model.nodepool.KafkaNodePool;
import io.strimzi.api.kafka.model.nodepool.ProcessRoles;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Kafka's metrics, the Strimzi way: the Kafka's {@code metricsConfig} runs the JMX exporter in each node with
 * the rules of a ConfigMap of the overlay, and Strimzi's Kafka Exporter reports the counters' consumer lag on
 * the votes topic. Strimzi writes those pods, so they are not in the rendered manifests: the tests build them
 * as Strimzi labels them (its Labels and KafkaPool: {@code strimzi.io/cluster}, {@code strimzi.io/name},
 * {@code app.kubernetes.io/name} kafka or kafka-exporter; the metrics on the port {@code tcp-prometheus},
 * 9404) and check that the rendered Prometheus scrapes each once on 9404 and that the NetworkPolicies let it.
 */
class KafkaMetricsTest {

    static final int METRICS_PORT = 9404;

    static List<String> overlays() {
        return Repository.overlays();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("overlays")
    void shouldExportKafkasMetricsWithTheJmxExporterRulesOfAConfigMap(String overlay) {
        Manifests manifests = Kustomize.overlay(overlay);
        Kafka kafka = manifests.find(Kafka.class, "ovation", "ovation").orElseThrow();

        assertThat(kafka.getSpec().getKafka().getMetricsConfig()).isInstanceOf(JmxPrometheusExporterMetrics.class);
        JmxRules rules = InfrastructureDashboardTest.kafkaRules(manifests);
        assertThat(rules.lowercaseOutputName()).isTrue();
        assertThat(rules.rules()).isNotEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("overlays")
    void shouldWatchOnlyTheVotesTopicAndTheCountersGroupWithTheKafkaExporter(String overlay) {
        Manifests manifests = Kustomize.overlay(overlay);
        KafkaExporterSpec exporter = manifests.find(Kafka.class, "ovation", "ovation").orElseThrow().getSpec().getKafkaExporter();
        String group = Env.of(manifests.workload("Deployment counter").containers().get(0)).get("OVATION_COUNTER_GROUP");
        Map<String, Boolean> topics = new TreeMap<>();
        for (KafkaTopic topic : manifests.all(KafkaTopic.class)) {
            topics.put(topic.getSpec().getTopicName(), found(exporter.getTopicRegex(), topic.getSpec().getTopicName()));
        }

        // the exporter's regexes are Go's, matched anywhere in a name: find(), not matches()
        assertThat(exporter).as("spec.kafkaExporter").isNotNull();
        assertThat(topics).containsEntry("votes", true).containsEntry("votes.dead-letters", false)
                .containsEntry("contests", false);
        assertThat(group).isEqualTo("ovation-counter");
        assertThat(found(exporter.getGroupRegex(), group)).as("groupRegex %s matches %s", exporter.getGroupRegex(), group).isTrue();
        assertThat(found(exporter.getGroupRegex(), group + "-replay")).isFalse();
        assertThat(exporter.getResources()).as("the exporter's requests and limits").isNotNull();
        assertThat(exporter.getResources().getLimits()).containsKeys("cpu", "memory");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("overlays")
    void shouldScrapeEveryKafkaNodeAndTheKafkaExporterOnceOn9404(String overlay) {
        Manifests manifests = Kustomize.overlay(overlay);
        JsonNode config = RenderedPrometheus.of(manifests).config();
        Map<String, List<String>> targets = new LinkedHashMap<>();
        strimziPods(manifests).forEach((name, pod) -> targets.put(name, targets(config, pod)));
        Manifests.Workload ingest = manifests.workload("Deployment ingest");

        targets.forEach((name, found) -> {
            if (name.startsWith("entity-operator")) {
                assertThat(found).as("targets of %s, which serves no metrics", name).isEmpty();
            } else {
                String job = name.startsWith("kafka-exporter") ? "kafka-exporter" : "kafka";
                assertThat(found).as("targets of %s", name).containsExactly(job + " 10.0.0.1:" + METRICS_PORT);
            }
        });
        // the controllers too: their metrics say which one is active
        assertThat(targets.keySet()).containsExactlyInAnyOrderElementsOf(overlay.equals("dev")
                ? List.of("kafka ovation-brokers-0", "kafka-exporter", "entity-operator")
                : List.of("kafka ovation-brokers-0", "kafka ovation-controllers-0", "kafka-exporter", "entity-operator"));
        // the annotated roles are scraped as before, once
        assertThat(targets(config, ingest)).containsExactly("ingest 10.0.0.1:8081");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("overlays")
    void shouldLetPrometheusReachTheMetricsOfStrimzisPodsAndNothingElse(String overlay) {
        Manifests manifests = Kustomize.overlay(overlay);
        strimziPods(manifests).forEach((name, pod) -> {
            List<Integer> ports = Policies.containerPorts(pod).values().stream().toList();
            for (int port : ports) {
                var peers = Policies.peersReaching(manifests, pod, port);
                assertThat(peers).as("peers outside the namespace let in on %s:%d by Ovation's policies", name, port)
                        .noneMatch(Policies::isOutside);
                Set<String> admitted = Policies.admitted(manifests, peers);
                if (port == METRICS_PORT) {
                    assertThat(admitted).as("%s:%d", name, port).containsExactly("Deployment prometheus");
                } else {
                    // the listeners, replication and control ports: Strimzi's own policies, from networkPolicyPeers
                    assertThat(admitted).as("%s:%d let in by Ovation's policies", name, port).isEmpty();
                }
            }
        });
    }

    private static boolean found(String regex, String name) {
        return regex != null && Pattern.compile(regex).matcher(name).find();
    }

    /**
     * The pods Strimzi runs for the Kafka "ovation", labelled and with the ports it gives them: a node of each
     * KafkaNodePool (agent 8443; a controller the control plane 9090; a broker replication 9091 and one port
     * per listener; metrics 9404, as Strimzi's KafkaCluster opens them by role), the Kafka Exporter and the
     * entity operator.
     */
    static Map<String, Manifests.Workload> strimziPods(Manifests manifests) {
        Kafka kafka = manifests.find(Kafka.class, "ovation", "ovation").orElseThrow();
        Map<String, Manifests.Workload> pods = new TreeMap<>();
        for (KafkaNodePool pool : manifests.all(KafkaNodePool.class)) {
            String name = "ovation-" + pool.getMetadata().getName() + "-0";
            List<ContainerPort> ports = new ArrayList<>(List.of(port("tcp-kafkaagent", 8443)));
            if (KafkaNodes.has(pool, ProcessRoles.CONTROLLER)) {
                ports.add(port("tcp-ctrlplane", 9090));
            }
            if (KafkaNodes.has(pool, ProcessRoles.BROKER)) {
                ports.add(port("tcp-replication", 9091));
                for (GenericKafkaListener listener : kafka.getSpec().getKafka().getListeners()) {
                    ports.add(port("tcp-" + listener.getName(), listener.getPort()));
                }
            }
            ports.add(port("tcp-prometheus", METRICS_PORT));
            pods.put("kafka " + name, pod(name, "kafka", KafkaNodes.podLabels(pool), ports));
        }
        pods.put("kafka-exporter", pod("ovation-kafka-exporter-abc", "kafka-exporter",
                Map.of("strimzi.io/name", "ovation-kafka-exporter"), List.of(port("tcp-prometheus", METRICS_PORT))));
        pods.put("entity-operator", pod("ovation-entity-operator-abc", "entity-operator",
                Map.of("strimzi.io/name", "ovation-entity-operator"), List.of(port("healthcheck-to", 8080))));
        return pods;
    }

    private static Manifests.Workload pod(String name, String component, Map<String, String> extra, List<ContainerPort> ports) {
        Map<String, String> labels = new TreeMap<>(extra);
        labels.putAll(Map.of("strimzi.io/cluster", "ovation", "strimzi.io/kind", "Kafka",
                "strimzi.io/component-type", component, "app.kubernetes.io/name", component,
                "app.kubernetes.io/managed-by", "strimzi-cluster-operator"));
        Pod owner = new PodBuilder().withNewMetadata().withName(name).withNamespace("ovation").endMetadata().build();
        PodTemplateSpec template = new PodTemplateSpecBuilder().withNewMetadata().withName(name).withLabels(labels).endMetadata()
                .withNewSpec().addNewContainer().withName(component).withPorts(ports).endContainer().endSpec().build();
        return new Manifests.Workload(owner, template, 1);
    }

    private static ContainerPort port(String name, int number) {
        return new ContainerPortBuilder().withName(name).withContainerPort(number).withProtocol("TCP").build();
    }

    /**
     * What the scrape configurations with Kubernetes pod discovery make of a running pod at 10.0.0.1: one
     * discovered target per container port, relabelled; each kept one as "job address".
     */
    static List<String> targets(JsonNode config, Manifests.Workload pod) {
        List<String> targets = new ArrayList<>();
        for (JsonNode scrape : config.path("scrape_configs")) {
            if (!scrape.at("/kubernetes_sd_configs/0/role").asText().equals("pod")) {
                continue;
            }
            for (ContainerPort port : pod.containers().get(0).getPorts()) {
                Map<String, String> discovered = new TreeMap<>();
                discovered.put("job", scrape.path("job_name").asText());
                discovered.put("__address__", "10.0.0.1:" + port.getContainerPort());
                discovered.put("__metrics_path__", scrape.path("metrics_path").asText("/metrics"));
                discovered.put("__meta_kubernetes_namespace", "ovation");
                discovered.put("__meta_kubernetes_pod_name", pod.template().getMetadata().getName() != null
                        ? pod.template().getMetadata().getName() : "pod-0");
                discovered.put("__meta_kubernetes_pod_ip", "10.0.0.1");
                discovered.put("__meta_kubernetes_pod_phase", "Running");
                discovered.put("__meta_kubernetes_pod_container_name", pod.containers().get(0).getName());
                discovered.put("__meta_kubernetes_pod_container_port_name", port.getName());
                discovered.put("__meta_kubernetes_pod_container_port_number", String.valueOf(port.getContainerPort()));
                pod.labels().forEach((k, v) -> discovered.put("__meta_kubernetes_pod_label_" + sanitize(k), v));
                Map<String, String> annotations = pod.template().getMetadata().getAnnotations();
                if (annotations != null) {
                    annotations.forEach((k, v) -> discovered.put("__meta_kubernetes_pod_annotation_" + sanitize(k), v));
                }
                Relabel.apply(scrape.path("relabel_configs"), discovered)
                        .ifPresent(t -> targets.add(t.get("job") + " " + t.get("__address__")));
            }
        }
        return new ArrayList<>(new TreeSet<>(targets));
    }

    private static String sanitize(String label) {
        return label.replaceAll("[^a-zA-Z0-9_]", "_");
    }
}
