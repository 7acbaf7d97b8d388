package dev.ovation.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Each role's container, in each overlay, is configured the way the role reads its configuration. */
class RoleEnvironmentTest {

    static final String NAMESPACE = "ovation";
    /** The one image, tagged with the project's version (ImageTagTest). */
    static final String IMAGE = ImageTagTest.IMAGE + ":" + Repository.projectVersion();
    /**
     * The ports: the public ones (the ingest's HTTP and gRPC, the results' HTTP), the management ones
     * (OVATION_MANAGEMENT_PORT: /metrics, health, the ingest's admin API), the counter's one (metrics, health).
     */
    static final Map<String, Set<Integer>> PORTS = Map.of(
            "ingest", Set.of(8080, 50051, 8081), "counter", Set.of(8090), "results", Set.of(8088, 8089));
    /** The port each role serves /metrics on, by its name. */
    static final Map<String, String> METRICS_PORT = Map.of("ingest", "management", "counter", "http", "results", "management");

    static Stream<Arguments> overlaysAndRoles() {
        return Repository.overlays().stream()
                .flatMap(o -> RoleContract.commands().stream().map(r -> Arguments.of(o, r)));
    }

    static List<String> overlays() {
        return Repository.overlays();
    }

    static Container roleContainer(Manifests manifests, String role) {
        Deployment deployment = manifests.find(Deployment.class, NAMESPACE, role)
                .orElseThrow(() -> new AssertionError(manifests.overlay() + " has no Deployment " + role));
        return deployment.getSpec().getTemplate().getSpec().getContainers().stream()
                .filter(c -> c.getName().equals(role)).findFirst()
                .orElseThrow(() -> new AssertionError("Deployment " + role + " has no container " + role));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("overlaysAndRoles")
    void shouldRunTheRoleFromTheOneImageWithItsSubcommand(String overlay, String role) {
        Container container = roleContainer(Kustomize.overlay(overlay), role);

        assertThat(container.getImage()).isEqualTo(IMAGE);
        assertThat(container.getArgs()).containsExactly(role);
        assertThat(container.getCommand()).as("the image's entrypoint runs the launcher").isEmpty();
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("overlaysAndRoles")
    void shouldSetEveryVariableWhoseDefaultIsLocalhost(String overlay, String role) {
        RoleContract contract = RoleContract.of(role);
        Set<String> local = contract.variablesDefaultingToLocalhost();
        assertThat(local).as("the help text of %s names its servers' defaults", role).contains("OVATION_KAFKA");

        Map<String, String> env = Env.of(roleContainer(Kustomize.overlay(overlay), role));

        assertThat(env.keySet()).containsAll(local);
        local.forEach(name -> assertThat(env.get(name)).as(name).doesNotContain("127.0.0.1", "localhost"));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("overlaysAndRoles")
    void shouldSetOnlyVariablesTheRoleReads(String overlay, String role) {
        Set<String> read = RoleContract.of(role).variablesRead();
        Set<String> set = Env.ovation(roleContainer(Kustomize.overlay(overlay), role)).keySet();

        assertThat(new TreeSet<>(set)).as("OVATION_* set on %s but not read by it (read: %s)", role, read)
                .isSubsetOf(read);
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("overlaysAndRoles")
    void shouldServeOnTheContractPorts(String overlay, String role) {
        Manifests manifests = Kustomize.overlay(overlay);
        Container container = roleContainer(manifests, role);
        Set<Integer> ports = container.getPorts().stream().map(ContainerPort::getContainerPort)
                .collect(Collectors.toSet());
        Map<String, String> env = Env.of(container);

        assertThat(ports).isEqualTo(PORTS.get(role));
        env.forEach((name, value) -> {
            if (name.startsWith("OVATION_") && name.endsWith("_PORT")) {
                assertThat(ports).as(name).contains(Integer.parseInt(value));
            }
        });
        Map<String, String> annotations = manifests.find(Deployment.class, NAMESPACE, role).orElseThrow()
                .getSpec().getTemplate().getMetadata().getAnnotations();
        int metrics = container.getPorts().stream().filter(p -> METRICS_PORT.get(role).equals(p.getName()))
                .findFirst().orElseThrow().getContainerPort();
        // Prometheus scrapes the port that serves /metrics: the management port, which no route publishes
        assertThat(annotations).containsEntry("prometheus.io/scrape", "true").containsEntry("prometheus.io/path", "/metrics")
                .containsEntry("prometheus.io/port", String.valueOf(metrics));
        if (!role.equals("counter")) {
            assertThat(env).containsEntry("OVATION_MANAGEMENT_PORT", String.valueOf(metrics));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("overlays")
    void shouldConfigureTheTopicsAsTheKafkaTopicsDeclareThem(String overlay) {
        Manifests manifests = Kustomize.overlay(overlay);
        KafkaTopic votes = manifests.find(KafkaTopic.class, NAMESPACE, "votes").orElseThrow();
        KafkaTopic contests = manifests.find(KafkaTopic.class, NAMESPACE, "contests").orElseThrow();

        for (String role : RoleContract.commands()) {
            Map<String, String> env = Env.of(roleContainer(manifests, role));
            if (env.containsKey("OVATION_TOPIC")) {
                assertThat(env.get("OVATION_TOPIC")).as(role).isEqualTo(votes.getSpec().getTopicName());
            }
            if (env.containsKey("OVATION_TOPIC_PARTITIONS")) {
                assertThat(Integer.parseInt(env.get("OVATION_TOPIC_PARTITIONS"))).as(role + " OVATION_TOPIC_PARTITIONS")
                        .isEqualTo(votes.getSpec().getPartitions());
            }
            assertThat(env).as(role).containsKey("OVATION_TOPIC_REPLICATION");
            assertThat(Integer.parseInt(env.get("OVATION_TOPIC_REPLICATION"))).as(role + " OVATION_TOPIC_REPLICATION")
                    .isEqualTo(votes.getSpec().getReplicas()).isEqualTo(contests.getSpec().getReplicas());
        }
        assertThat(contests.getSpec().getTopicName()).isEqualTo("contests");
        assertThat(contests.getSpec().getPartitions()).isEqualTo(1);
        assertThat(contests.getSpec().getConfig()).containsEntry("cleanup.policy", "compact");
        assertThat(votes.getSpec().getConfig()).containsEntry("retention.ms", -1);
        for (KafkaTopic topic : List.of(votes, contests)) {
            // as VotesTopic and ContestStore create them when they are missing
            assertThat(topic.getSpec().getConfig()).as(topic.getSpec().getTopicName())
                    .containsEntry("min.insync.replicas", Math.max(1, topic.getSpec().getReplicas() - 1));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("overlays")
    void shouldGiveEveryCounterThatMayRunAPartition(String overlay) {
        Manifests manifests = Kustomize.overlay(overlay);
        int partitions = manifests.find(KafkaTopic.class, NAMESPACE, "votes").orElseThrow().getSpec().getPartitions();
        List<Integer> maxima = new ArrayList<>();
        manifests.all(HorizontalPodAutoscaler.class).stream()
                .filter(h -> h.getSpec().getScaleTargetRef().getName().equals("counter"))
                .forEach(h -> maxima.add(h.getSpec().getMaxReplicas()));
        for (JsonNode scaledObject : manifests.raw(StrictModel.SCALED_OBJECT)) {
            maxima.add(scaledObject.at("/spec/maxReplicaCount").asInt());
            JsonNode trigger = scaledObject.at("/spec/triggers/0/metadata");
            Map<String, String> counter = Env.of(roleContainer(manifests, "counter"));
            assertThat(trigger.path("consumerGroup").asText()).isEqualTo(counter.get("OVATION_COUNTER_GROUP"));
            assertThat(trigger.path("topic").asText()).isEqualTo(counter.get("OVATION_TOPIC"));
            assertThat(trigger.path("bootstrapServers").asText())
                    .startsWith(counter.get("OVATION_KAFKA").replace(":9092", "."));
        }
        Integer replicas = manifests.find(Deployment.class, NAMESPACE, "counter").orElseThrow().getSpec().getReplicas();
        if (replicas != null) {
            maxima.add(replicas);
        }

        assertThat(maxima).as("counters the autoscalers may run").isNotEmpty().allSatisfy(max ->
                assertThat(max).isLessThanOrEqualTo(partitions));
        assertThat(partitions).isGreaterThanOrEqualTo(5);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("overlays")
    void shouldLogVotesToEveryMemberWithMajorityWrites(String overlay) {
        Manifests manifests = Kustomize.overlay(overlay);
        int members = manifests.find(StatefulSet.class, NAMESPACE, "mongodb").orElseThrow().getSpec().getReplicas();
        Pattern hosts = Pattern.compile("^mongodb://[^@]+@([^/]+)/\\?(.*)$");

        for (String role : List.of("counter", "results")) {
            String uri = Env.of(roleContainer(manifests, role)).get("OVATION_MONGO");
            Matcher m = hosts.matcher(uri);
            assertThat(m.matches()).as("%s OVATION_MONGO=%s", role, uri).isTrue();
            assertThat(m.group(1).split(",")).as(role + " members").hasSize(members);
            assertThat(m.group(2).split("&")).as(role).contains("w=majority", "replicaSet=rs0");
        }
        Job init = manifests.find(Job.class, NAMESPACE, "mongodb-init").orElseThrow();
        assertThat(Env.of(init.getSpec().getTemplate().getSpec().getContainers().get(0)))
                .containsEntry("MONGO_MEMBERS", String.valueOf(members));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("overlaysAndRoles")
    void shouldSetValuesTheRolesOwnConfigurationAccepts(String overlay, String role) {
        Map<String, String> env = new LinkedHashMap<>();
        Map<String, Map<String, String>> userConfigMaps = UserConfigMaps.documented();
        Container container = roleContainer(Kustomize.overlay(overlay), role);
        // a value from a Secret is a stand-in, one from a ConfigMap you create is the guide's example;
        // $(VAR) is filled in as Kubernetes does
        Env.of(container).forEach((name, value) -> {
            String resolved = value == null ? userValue(container, name, userConfigMaps) : value;
            for (Map.Entry<String, String> earlier : env.entrySet()) {
                resolved = resolved.replace("$(" + earlier.getKey() + ")", earlier.getValue());
            }
            env.put(name, resolved);
        });

        Object config = RoleContract.of(role).readConfiguration(env);

        assertThat(config.toString()).contains(env.get("OVATION_KAFKA"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("overlays")
    void shouldTrustOnlyTheProxiesYouNameForTheVotersAddress(String overlay) {
        Manifests manifests = Kustomize.overlay(overlay);
        boolean routed = RouteTest.ways(manifests).stream().anyMatch(way -> way.service().equals("ingest"));
        Map<String, String> trustedFrom = new TreeMap<>();
        for (String role : RoleContract.commands()) {
            roleContainer(manifests, role).getEnv().stream().filter(v -> v.getName().equals("OVATION_TRUSTED_PROXIES"))
                    .forEach(v -> trustedFrom.put(role, v.getValue() != null ? "literal " + v.getValue()
                            : v.getValueFrom().getConfigMapKeyRef() == null ? "elsewhere"
                            : v.getValueFrom().getConfigMapKeyRef().getName() + "/" + v.getValueFrom().getConfigMapKeyRef().getKey()
                            + (Boolean.TRUE.equals(v.getValueFrom().getConfigMapKeyRef().getOptional()) ? " (optional)" : "")));
        }

        // behind the Gateway, the ingest (and the results, for their per-address limits) reads addresses from
        // X-Forwarded-For past the proxies you name: from the ConfigMap you create (docs/kubernetes.md), never
        // every private range; without it the pods do not start
        assertThat(routed).isTrue();
        assertThat(trustedFrom).containsEntry("ingest", "ovation-edge/trusted-proxies")
                .allSatisfy((role, from) -> assertThat(from).as(role).isEqualTo("ovation-edge/trusted-proxies"));
        assertThat(manifests.all(ConfigMap.class))
                .noneMatch(c -> c.getMetadata().getName().equals("ovation-edge"));
        assertThat(UserConfigMaps.documented()).containsKey("ovation-edge");
        assertThat(UserConfigMaps.documented().get("ovation-edge").get("trusted-proxies"))
                .as("the guide's example").isNotBlank().doesNotContain("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16");
    }

    /** A variable's value from a ConfigMap the guide has you create (its example), else a Secret's stand-in. */
    private static String userValue(Container container, String name, Map<String, Map<String, String>> userConfigMaps) {
        EnvVar var = container.getEnv().stream().filter(v -> v.getName().equals(name)).findFirst().orElseThrow();
        var ref = var.getValueFrom().getConfigMapKeyRef();
        if (ref != null && userConfigMaps.containsKey(ref.getName())) {
            return userConfigMaps.get(ref.getName()).get(ref.getKey());
        }
        return "secret-value";
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("overlays")
    void shouldDefineEveryVariableBeforeAValueUsesIt(String overlay) {
        Pattern reference = Pattern.compile("\\$\\(([A-Za-z_][A-Za-z0-9_]*)\\)");
        List<String> errors = new ArrayList<>();
        for (Manifests.Workload workload : Kustomize.overlay(overlay).workloads()) {
            workload.allContainers().forEach(container -> {
                Set<String> defined = new HashSet<>();
                for (EnvVar var : container.getEnv()) {
                    if (var.getValue() != null) {
                        Matcher m = reference.matcher(var.getValue());
                        while (m.find()) {
                            if (!defined.contains(m.group(1))) {
                                errors.add(workload.name() + " " + var.getName() + " uses $(" + m.group(1)
                                        + ") before it is defined: Kubernetes would pass it on literally");
                            }
                        }
                    }
                    defined.add(var.getName());
                }
            });
        }
        assertThat(errors).isEmpty();
    }
}
