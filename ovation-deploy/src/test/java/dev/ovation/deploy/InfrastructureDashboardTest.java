package dev.ovation.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.strimzi.api.kafka.model.common.metrics.JmxPrometheusExporterMetrics;
import io.strimzi.api.kafka.model.kafka.Kafka;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The dashboard "Ovation — infrastructure" (deploy/grafana/dashboards/ovation-infrastructure.json): it parses,
 * reads only the provisioned Prometheus, and every metric its queries name is one that a source Prometheus
 * scrapes produces, so that a misspelt metric, or a rule of the Kafka nodes' JMX exporter taken away, fails
 * here rather than leaving a panel empty. The Kafka nodes' metrics are not listed by hand: the Kafka MBeans
 * the panels read are run through the rules of the ConfigMap the Kafka's metricsConfig names. It is
 * provisioned in every overlay, beside the first dashboard.
 */
class InfrastructureDashboardTest {

    static final String DASHBOARD = "deploy/grafana/dashboards/ovation-infrastructure.json";
    private static final ObjectMapper JSON = new ObjectMapper();
    /** kubectl apply keeps the whole object in an annotation, which may hold at most 256 KiB. */
    private static final int LAST_APPLIED_LIMIT = 262_144;

    /**
     * Kafka's MBean attributes the panels read, as the JMX exporter matches them
     * ({@code domain<key=value, ...><>Attribute: value}); Kafka's documentation, "Monitoring", lists them.
     */
    static final List<String> KAFKA_MBEANS = List.of(
            "kafka.server<type=ReplicaManager, name=UnderReplicatedPartitions><>Value: 0",
            "kafka.controller<type=KafkaController, name=OfflinePartitionsCount><>Value: 0",
            "kafka.controller<type=KafkaController, name=ActiveControllerCount><>Value: 1",
            "kafka.server<type=BrokerTopicMetrics, name=BytesInPerSec><>Count: 1024",
            "kafka.server<type=BrokerTopicMetrics, name=BytesOutPerSec><>Count: 1024",
            "kafka.server<type=BrokerTopicMetrics, name=MessagesInPerSec, topic=votes><>Count: 8",
            "kafka.network<type=RequestMetrics, name=TotalTimeMs, request=Produce><>99thPercentile: 3.0",
            "kafka.log<type=Log, name=Size, topic=votes, partition=0><>Value: 4096");

    /** Strimzi's Kafka Exporter (danielqsj/kafka_exporter, its kafka_exporter.go): namespace kafka. */
    static final Set<String> KAFKA_EXPORTER = Set.of("kafka_brokers", "kafka_topic_partitions",
            "kafka_topic_partition_current_offset", "kafka_topic_partition_oldest_offset",
            "kafka_consumergroup_current_offset", "kafka_consumergroup_lag", "kafka_consumergroup_lag_sum",
            "kafka_consumergroup_members");

    /**
     * redis_exporter v1.88.0 (its exporter/exporter.go and info.go): INFO's fields under the namespace redis,
     * CLUSTER INFO's cluster_state as 1 (ok) or 0 (fail), the role as a label of redis_instance_info.
     */
    static final Set<String> REDIS_EXPORTER = Set.of("redis_up", "redis_memory_used_bytes", "redis_memory_max_bytes",
            "redis_commands_processed_total", "redis_connected_clients", "redis_cluster_state", "redis_instance_info",
            "redis_connected_slaves", "redis_master_link_up");

    /**
     * Percona's mongodb_exporter 0.53.0, with the options each metric needs: mongodb_up always; serverStatus's
     * connections and opcounters (conn_type and legacy_op_type labels) from the diagnostic data; replSetGetStatus's
     * myState from the replica-set collector; the member lag only among the 0.1x names of --compatible-mode,
     * which it computes from the diagnostic data (its exporter/metrics.go and v1_compatibility.go).
     */
    static final Map<String, List<String>> MONGODB_EXPORTER = Map.of(
            "mongodb_up", List.of(),
            "mongodb_ss_connections", List.of("--collector.diagnosticdata"),
            "mongodb_ss_opcounters", List.of("--collector.diagnosticdata"),
            "mongodb_myState", List.of("--collector.replicasetstatus"),
            "mongodb_mongod_replset_member_replication_lag", List.of("--collector.diagnosticdata", "--compatible-mode"));

    /** Prometheus's own series of every target. */
    static final Set<String> PROMETHEUS = Set.of("up");

    static List<String> overlays() {
        return Repository.overlays();
    }

    static JsonNode dashboard() {
        try {
            return JSON.readTree(Repository.read(DASHBOARD));
        } catch (IOException e) {
            throw new UncheckedIOException(DASHBOARD + " is not JSON", e);
        }
    }

    /** Every panel but the rows, with its title. */
    static Map<String, JsonNode> panels() {
        Map<String, JsonNode> panels = new TreeMap<>();
        dashboard().path("panels").forEach(p -> {
            if (!p.path("type").asText().equals("row")) {
                panels.put(p.path("title").asText(), p);
            }
        });
        return panels;
    }

    /** The PromQL of every target, by panel title. */
    static Map<String, List<String>> expressions() {
        Map<String, List<String>> expressions = new TreeMap<>();
        panels().forEach((title, panel) -> panel.path("targets")
                .forEach(t -> expressions.computeIfAbsent(title, k -> new ArrayList<>()).add(t.path("expr").asText())));
        return expressions;
    }

    /** The metrics the Kafka nodes serve: the MBeans of the panels, through the rules of the Kafka's ConfigMap. */
    static Map<String, JmxRules.Metric> kafkaMetrics(Manifests manifests) {
        Map<String, JmxRules.Metric> metrics = new TreeMap<>();
        JmxRules rules = kafkaRules(manifests);
        for (String mbean : KAFKA_MBEANS) {
            JmxRules.Metric metric = rules.apply(mbean)
                    .orElseThrow(() -> new AssertionError("no rule of the Kafka's metricsConfig matches " + mbean));
            metrics.put(metric.name(), metric);
        }
        return metrics;
    }

    static JmxRules kafkaRules(Manifests manifests) {
        Kafka kafka = manifests.find(Kafka.class, "ovation", "ovation").orElseThrow();
        JmxPrometheusExporterMetrics config = (JmxPrometheusExporterMetrics) kafka.getSpec().getKafka().getMetricsConfig();
        var ref = config.getValueFrom().getConfigMapKeyRef();
        ConfigMap rules = manifests.find(ConfigMap.class, "ovation", ref.getName())
                .orElseThrow(() -> new AssertionError(manifests.overlay() + " has no ConfigMap " + ref.getName()));
        assertThat(rules.getData()).as("ConfigMap %s", ref.getName()).containsKey(ref.getKey());
        return JmxRules.parse(rules.getData().get(ref.getKey()));
    }

    /** Every metric a configured source produces, by metric, naming the source. */
    static Map<String, String> producedMetrics(Manifests manifests) {
        Map<String, String> sources = new TreeMap<>();
        kafkaMetrics(manifests).keySet().forEach(m -> sources.put(m, "Kafka nodes (JMX exporter)"));
        KAFKA_EXPORTER.forEach(m -> sources.put(m, "Kafka Exporter"));
        REDIS_EXPORTER.forEach(m -> sources.put(m, "redis_exporter"));
        MONGODB_EXPORTER.keySet().forEach(m -> sources.put(m, "mongodb_exporter"));
        PROMETHEUS.forEach(m -> sources.put(m, "Prometheus"));
        return sources;
    }

    /** The metrics of the expressions that no source produces. */
    static Set<String> unknownMetrics(Map<String, String> produced, List<String> expressions) {
        Set<String> unknown = new TreeSet<>();
        expressions.forEach(e -> PromQl.metrics(e).stream().filter(m -> !produced.containsKey(m)).forEach(unknown::add));
        return unknown;
    }

    @Test
    void shouldFindTheMetricsOfAnExpressionButNotItsLabelsFunctionsOrVariables() {
        assertThat(PromQl.metrics("""
                sum by (pod) (rate(kafka_server_brokertopicmetrics_bytesin_total{topic="", pod=~"a|b"}[$__rate_interval]))
                  / on (pod) group_left (role) max without (instance) (redis_instance_info{role="master"}) > bool 0
                  or histogram_quantile(0.99, sum by (le) (rate(x_bucket[5m] offset 1h)))
                """)).containsExactly("kafka_server_brokertopicmetrics_bytesin_total", "redis_instance_info", "x_bucket");
    }

    @Test
    void shouldTellAMisspeltMetricFromAProducedOne() {
        Map<String, String> produced = producedMetrics(Kustomize.overlay("prod"));

        assertThat(unknownMetrics(produced, List.of("sum(redis_memroy_used_bytes) / sum(redis_memory_max_bytes)",
                "sum(kafka_server_replicamanager_underreplicatedpartition)")))
                .containsExactly("kafka_server_replicamanager_underreplicatedpartition", "redis_memroy_used_bytes");
    }

    @Test
    void shouldParseAndReadOnlyTheProvisionedPrometheus() throws IOException {
        JsonNode dashboard = dashboard();
        JsonNode live = JSON.readTree(Repository.read("deploy/grafana/dashboards/ovation-live.json"));
        JsonNode sources = Kustomize.parse(Repository.read("deploy/grafana/provisioning/datasources/ovation.yaml")).get(0);
        Set<String> prometheusUids = new HashSet<>();
        sources.path("datasources").forEach(s -> {
            if (s.path("type").asText().equals("prometheus")) {
                prometheusUids.add(s.path("uid").asText());
            }
        });
        Set<Integer> ids = new HashSet<>();
        dashboard.path("panels").forEach(p -> assertThat(ids.add(p.path("id").asInt())).as("panel id %s", p.path("id")).isTrue());

        assertThat(dashboard.path("uid").asText()).isEqualTo("ovation-infrastructure").isNotEqualTo(live.path("uid").asText());
        assertThat(dashboard.path("title").asText()).isEqualTo("Ovation — infrastructure");
        assertThat(dashboard.path("schemaVersion")).isEqualTo(live.path("schemaVersion"));
        assertThat(prometheusUids).hasSize(1);
        assertThat(panels()).hasSizeGreaterThan(20).allSatisfy((title, panel) -> {
            assertThat(panel.path("datasource").path("type").asText()).as(title).isEqualTo("prometheus");
            assertThat(panel.path("datasource").path("uid").asText()).as(title).isIn(prometheusUids);
            assertThat(panel.path("targets")).as("%s: its queries", title).isNotEmpty().allSatisfy(t -> {
                assertThat(t.path("expr").asText()).as(title).isNotBlank();
                assertThat(t.path("datasource")).as(title).isEqualTo(panel.path("datasource"));
            });
        });
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("overlays")
    void shouldQueryOnlyMetricsThatAConfiguredSourceProduces(String overlay) {
        Map<String, String> produced = producedMetrics(Kustomize.overlay(overlay));
        Map<String, Set<String>> unknown = new TreeMap<>();
        Set<String> sourcesRead = new TreeSet<>();
        expressions().forEach((title, exprs) -> {
            Set<String> names = unknownMetrics(produced, exprs);
            if (!names.isEmpty()) {
                unknown.put(title, names);
            }
            exprs.forEach(e -> PromQl.metrics(e).stream().map(produced::get).filter(s -> s != null).forEach(sourcesRead::add));
        });

        assertThat(unknown).as("panels naming a metric that no source of %s produces", overlay).isEmpty();
        assertThat(sourcesRead).containsExactlyInAnyOrder("Kafka nodes (JMX exporter)", "Kafka Exporter", "redis_exporter",
                "mongodb_exporter", "Prometheus");
    }

    @Test
    void shouldMakeTheKafkaMetricsOfThePanelsWithTheRulesOfTheConfigMap() {
        Map<String, JmxRules.Metric> metrics = kafkaMetrics(Kustomize.overlay("prod"));

        assertThat(metrics).containsOnlyKeys("kafka_server_replicamanager_underreplicatedpartitions",
                "kafka_controller_kafkacontroller_offlinepartitionscount",
                "kafka_controller_kafkacontroller_activecontrollercount",
                "kafka_server_brokertopicmetrics_bytesin_total", "kafka_server_brokertopicmetrics_bytesout_total",
                "kafka_server_brokertopicmetrics_messagesin_total", "kafka_network_requestmetrics_totaltimems",
                "kafka_log_log_size");
        assertThat(metrics.get("kafka_network_requestmetrics_totaltimems").labels()).containsExactly("request", "quantile");
        assertThat(metrics.get("kafka_log_log_size").labels()).containsExactly("topic", "partition");
        assertThat(metrics.get("kafka_server_brokertopicmetrics_messagesin_total").labels()).containsExactly("topic");
        assertThat(metrics.get("kafka_server_brokertopicmetrics_bytesin_total").labels()).isEmpty();
        // an MBean that no rule keeps is not exported at all
        assertThat(kafkaRules(Kustomize.overlay("prod")).apply("kafka.server<type=app-info, id=0><>version: 4.1.0")).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("overlays")
    void shouldRunTheMongoDbExporterWithTheCollectorsThePanelsRead(String overlay) {
        Container exporter = Kustomize.overlay(overlay).workload("StatefulSet mongodb").containers().stream()
                .filter(c -> c.getImage().startsWith("percona/mongodb_exporter:")).findFirst().orElseThrow();
        Set<String> needed = new TreeSet<>();
        expressions().values().forEach(exprs -> exprs.forEach(e -> PromQl.metrics(e).stream()
                .filter(MONGODB_EXPORTER::containsKey).forEach(m -> needed.addAll(MONGODB_EXPORTER.get(m)))));

        assertThat(needed).contains("--compatible-mode");
        assertThat(exporter.getArgs()).containsAll(needed);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("overlays")
    void shouldProvisionTheDashboardInEveryOverlay(String overlay) {
        Manifests manifests = Kustomize.overlay(overlay);
        ConfigMap dashboards = manifests.find(ConfigMap.class, "ovation", "ovation-grafana-dashboards").orElseThrow();
        ConfigMap provider = manifests.find(ConfigMap.class, "ovation", "ovation-grafana-dashboard-provider").orElseThrow();
        String providerPath = Kustomize.parse(provider.getData().values().iterator().next()).get(0)
                .at("/providers/0/options/path").asText();
        Manifests.Workload grafana = manifests.workload("Deployment grafana");
        Volume volume = grafana.template().getSpec().getVolumes().stream()
                .filter(v -> v.getConfigMap() != null && v.getConfigMap().getName().equals("ovation-grafana-dashboards"))
                .findFirst().orElseThrow(() -> new AssertionError("Grafana mounts no ovation-grafana-dashboards"));
        List<String> mountedAt = grafana.containers().stream().flatMap(c -> c.getVolumeMounts().stream())
                .filter(m -> m.getName().equals(volume.getName())).map(VolumeMount::getMountPath).toList();
        int size = dashboards.getData().values().stream().mapToInt(d -> d.getBytes(StandardCharsets.UTF_8).length).sum();

        assertThat(dashboards.getData()).containsKeys("ovation-live.json", "ovation-infrastructure.json");
        assertThat(dashboards.getData().get("ovation-infrastructure.json")).isEqualTo(Repository.read(DASHBOARD));
        assertThat(volume.getConfigMap().getItems()).as("the whole ConfigMap, every dashboard").isEmpty();
        assertThat(mountedAt).containsExactly(providerPath);
        assertThat(size).as("bytes of dashboards, which kubectl apply keeps in an annotation").isLessThan(LAST_APPLIED_LIMIT / 2);
    }
}
