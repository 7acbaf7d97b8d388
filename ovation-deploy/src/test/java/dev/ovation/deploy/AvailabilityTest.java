package dev.ovation.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodAffinityTerm;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraint;
import io.fabric8.kubernetes.api.model.WeightedPodAffinityTerm;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.strimzi.api.kafka.model.nodepool.KafkaNodePool;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One Kubernetes node lost costs nothing: each store keeps at most one member per node (required), Kafka's
 * KRaft controllers run in a pool of their own beside its brokers in prod, the roles spread over nodes and
 * zones (preferred), a disruption takes one pod of each at a time, the autoscalers own the roles' counts,
 * Redis refuses writes rather than evict or be killed at its memory limit, and a Redis Cluster restarted
 * whole forms again.
 */
class AvailabilityTest {

    static final String HOSTNAME = "kubernetes.io/hostname";
    static final String ZONE = "topology.kubernetes.io/zone";

    static List<String> overlays() {
        return Repository.overlays();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("overlays")
    void shouldRunThreeControllersOfTheirOwnAndThreeBrokersInProdAndOneNodeOfBothRolesInDev(String overlay) {
        Manifests manifests = Kustomize.overlay(overlay);

        Map<String, String> pools = pools(manifests);

        assertThat(pools).isEqualTo(overlay.equals("dev")
                ? Map.of("brokers", "1 [controller, broker]")
                : Map.of("controllers", "3 [controller]", "brokers", "3 [broker]"));
    }

    @Test
    void shouldGiveTheBaseThreeControllersOfTheirOwnAndThreeBrokers() {
        Manifests base = Kustomize.render(Repository.path("deploy/k8s/base"));

        assertThat(pools(base)).isEqualTo(Map.of("controllers", "3 [controller]", "brokers", "3 [broker]"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("overlays")
    void shouldRequireOneKafkaNodeOfEachPoolPerKubernetesNodeAndSpreadThemOverZones(String overlay) {
        Manifests manifests = Kustomize.overlay(overlay);
        List<KafkaNodePool> pools = manifests.all(KafkaNodePool.class);
        // for a pod of each pool and a pod of each pool it may meet: what keeps the two off one node
        Map<String, String> apart = new TreeMap<>();
        Map<String, List<String>> spread = new TreeMap<>();

        for (KafkaNodePool pool : pools) {
            String name = pool.getMetadata().getName();
            assertThat(pool.getSpec().getTemplate()).as("pool %s's pod template", name).isNotNull();
            var pod = pool.getSpec().getTemplate().getPod();
            for (KafkaNodePool other : pools) {
                Map<String, String> otherPod = KafkaNodes.podLabels(other);
                apart.put(name + " and " + other.getMetadata().getName(), "required " + requiredAntiAffinity(pod.getAffinity(), otherPod)
                        + ", preferred " + preferredAntiAffinity(pod.getAffinity(), otherPod));
            }
            spread.put(name, preferredSpread(pod.getTopologySpreadConstraints(), KafkaNodes.podLabels(pool)));
        }

        // one node of a pool per Kubernetes node; a broker and a controller may share one (a node lost then costs
        // one of each, and two controllers of three keep the quorum), and keep apart where there are nodes
        String required = "required [" + HOSTNAME + "], preferred []";
        String preferred = "required [], preferred [" + HOSTNAME + "]";
        assertThat(apart).isEqualTo(overlay.equals("dev")
                ? Map.of("brokers and brokers", required)
                : Map.of("brokers and brokers", required, "controllers and controllers", required,
                        "brokers and controllers", preferred, "controllers and brokers", preferred));
        assertThat(spread).isEqualTo(overlay.equals("dev")
                ? Map.of("brokers", List.of(ZONE))
                : Map.of("brokers", List.of(ZONE), "controllers", List.of(ZONE)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("overlays")
    void shouldRequireOneStoreMemberPerKubernetesNodeAndSpreadThemOverZones(String overlay) {
        Manifests manifests = Kustomize.overlay(overlay);
        Map<String, List<String>> required = new TreeMap<>();
        Map<String, List<String>> spread = new TreeMap<>();
        for (String store : List.of("StatefulSet mongodb", "StatefulSet redis-cluster")) {
            manifests.workloads().stream().filter(w -> w.name().equals(store)).forEach(w -> {
                var spec = w.template().getSpec();
                required.put(store, requiredAntiAffinity(spec.getAffinity(), w.labels()));
                spread.put(store, preferredSpread(spec.getTopologySpreadConstraints(), w.labels()));
            });
        }

        // a MongoDB member and a Redis Cluster node per node: a node lost costs one member (a majority stays) and
        // at most one of a Redis master and its replica
        assertThat(required).containsEntry("StatefulSet mongodb", List.of(HOSTNAME))
                .allSatisfy((store, keys) -> assertThat(keys).as(store).containsExactly(HOSTNAME));
        assertThat(spread).allSatisfy((store, keys) -> assertThat(keys).as(store).containsExactly(ZONE));
        assertThat(required.containsKey("StatefulSet redis-cluster")).isEqualTo(overlay.startsWith("prod"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("overlays")
    void shouldSpreadTheRolesOverNodesAndZonesWithoutBlockingScheduling(String overlay) {
        Manifests manifests = Kustomize.overlay(overlay);
        Map<String, List<String>> spread = new TreeMap<>();
        for (String role : RoleContract.commands()) {
            Manifests.Workload workload = manifests.workload("Deployment " + role);
            spread.put(role, preferredSpread(workload.template().getSpec().getTopologySpreadConstraints(), workload.labels()));
            assertThat(workload.template().getSpec().getTopologySpreadConstraints())
                    .as("%s's spread: ScheduleAnyway, never Pending for want of a node", role)
                    .allMatch(c -> c.getWhenUnsatisfiable().equals("ScheduleAnyway"));
        }

        assertThat(spread).isEqualTo(Map.of("ingest", List.of(HOSTNAME, ZONE), "counter", List.of(HOSTNAME, ZONE),
                "results", List.of(HOSTNAME, ZONE)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("overlays")
    void shouldLeaveTheCountOfAnAutoscaledDeploymentToItsAutoscaler(String overlay) {
        Manifests manifests = Kustomize.overlay(overlay);
        Map<String, String> scaledBy = new TreeMap<>();
        List<String> errors = new ArrayList<>();
        for (WiringTest.Autoscaler autoscaler : WiringTest.autoscalers(manifests)) {
            scaledBy.put(autoscaler.target(), autoscaler.name().split(" ")[0]);
            Deployment deployment = manifests.find(Deployment.class, autoscaler.namespace(), autoscaler.target()).orElseThrow();
            if (deployment.getSpec().getReplicas() != null) {
                errors.add("Deployment " + autoscaler.target() + " sets replicas: " + deployment.getSpec().getReplicas()
                        + ", which every kubectl apply would set back under " + autoscaler.name());
            }
        }

        assertThat(errors).isEmpty();
        assertThat(scaledBy).isEqualTo(Map.of("ingest", "HorizontalPodAutoscaler", "results", "HorizontalPodAutoscaler",
                "counter", overlay.endsWith("keda") ? "ScaledObject" : "HorizontalPodAutoscaler"));
        // ingest and results on CPU
        manifests.all(HorizontalPodAutoscaler.class).forEach(hpa ->
                assertThat(hpa.getSpec().getMetrics()).as(hpa.getMetadata().getName())
                        .extracting(m -> m.getResource().getName()).containsExactly("cpu"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("overlays")
    void shouldLetADisruptionTakeOnePodOfEachRoleAndStoreAtATime(String overlay) {
        Manifests manifests = Kustomize.overlay(overlay);
        Map<String, String> budgets = new TreeMap<>();
        for (PodDisruptionBudget budget : manifests.all(PodDisruptionBudget.class)) {
            List<String> covered = manifests.workloads().stream()
                    .filter(w -> !w.isJob() && Labels.matches(budget.getSpec().getSelector(), w.labels()))
                    .map(Manifests.Workload::name).toList();
            assertThat(covered).as("PodDisruptionBudget %s", budget.getMetadata().getName()).hasSize(1);
            budgets.put(covered.get(0), String.valueOf(budget.getSpec().getMaxUnavailable().getIntVal()));
        }

        String redis = overlay.startsWith("prod") ? "StatefulSet redis-cluster" : "StatefulSet redis";
        // Kafka's are Strimzi's own
        assertThat(budgets).isEqualTo(Map.of("Deployment ingest", "1", "Deployment results", "1",
                "Deployment counter", "1", "StatefulSet mongodb", "1", redis, "1"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("overlays")
    void shouldCapRedisMemoryAtThreeQuartersOfItsLimitWithoutEviction(String overlay) {
        Manifests manifests = Kustomize.overlay(overlay);
        Manifests.Workload redis = manifests.workloads().stream()
                .filter(w -> w.name().equals("StatefulSet redis") || w.name().equals("StatefulSet redis-cluster"))
                .findFirst().orElseThrow();
        Container container = redis.containers().get(0);
        Map<String, String> conf = redisConf(manifests, redis);
        BigDecimal limit = container.getResources().getLimits().get("memory").getNumericalAmount();
        BigDecimal request = container.getResources().getRequests().get("memory").getNumericalAmount();

        assertThat(conf).containsEntry("maxmemory-policy", "noeviction").containsKey("maxmemory");
        assertThat(redisBytes(conf.get("maxmemory"))).as("maxmemory against the container's limit of %s", limit)
                .isPositive().isLessThanOrEqualTo(limit.multiply(new BigDecimal("0.75")).longValue());
        assertThat(request).as("memory request = limit: not the first pod evicted").isEqualByComparingTo(limit);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("overlays")
    void shouldAnnounceRedisClusterNodesByNameAndCallThemReadyOnlyWhenTheClusterIs(String overlay) {
        Manifests manifests = Kustomize.overlay(overlay);
        var cluster = manifests.workloads().stream().filter(w -> w.name().equals("StatefulSet redis-cluster")).findFirst();
        assertThat(cluster.isPresent()).isEqualTo(overlay.startsWith("prod"));
        if (cluster.isEmpty()) {
            return;
        }
        Container redis = cluster.get().containers().get(0);
        assertThat(manifests.find(ConfigMap.class, "ovation", "redis-cluster-scripts")).as("the start scripts").isPresent();
        Map<String, String> scripts = manifests.find(ConfigMap.class, "ovation", "redis-cluster-scripts").orElseThrow().getData();

        assertThat(redisConf(manifests, cluster.get())).containsEntry("cluster-preferred-endpoint-type", "hostname");
        assertThat(redis.getCommand()).containsExactly("sh", "/scripts/start.sh");
        assertThat(scripts.get("start.sh"))
                .contains("sh /scripts/refresh-nodes.sh \"$conf\"")
                .contains("exec redis-server /etc/redis/redis.conf --cluster-announce-hostname \"$POD_NAME.redis-cluster.");
        assertThat(String.join(" ", redis.getReadinessProbe().getExec().getCommand()))
                .isEqualTo("sh -c redis-cli cluster info | grep -q '^cluster_state:ok'");
    }

    @Test
    void shouldPointEveryRedisClusterNodeAtItsNewAddressAfterAFullRestart(@TempDir Path dir) throws Exception {
        // Given the script from the manifests, a nodes.conf written before a restart of the whole cluster, and DNS
        // that now gives two of the three names new addresses (one IPv6); the third does not resolve yet
        var scripts = Kustomize.overlay("prod").find(ConfigMap.class, "ovation", "redis-cluster-scripts");
        assertThat(scripts).as("the Redis Cluster's start scripts").isPresent();
        String script = scripts.get().getData().get("refresh-nodes.sh");
        Files.writeString(dir.resolve("refresh-nodes.sh"), script);
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path getent = bin.resolve("getent");
        Files.writeString(getent, """
                #!/bin/sh
                case "$2" in
                  redis-cluster-0.redis-cluster.ovation.svc.cluster.local) echo "10.9.0.10       $2" ;;
                  redis-cluster-1.redis-cluster.ovation.svc.cluster.local) echo "fd00::21        $2" ;;
                  *) exit 2 ;;
                esac
                """);
        Files.setPosixFilePermissions(getent, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path conf = dir.resolve("nodes.conf");
        Files.writeString(conf, """
                e7d1eecce10fd6bb5eb35b9f99a514335d9ba9ca 10.1.0.5:6379@16379,redis-cluster-0.redis-cluster.ovation.svc.cluster.local,shard-id=a1 myself,master - 0 0 1 connected 0-5460
                a1b2c3d4e5f60718293a4b5c6d7e8f9012345678 10.1.0.6:6379@16379,redis-cluster-1.redis-cluster.ovation.svc.cluster.local,shard-id=b2 master - 0 1700000000000 2 connected 5461-10922
                0123456789abcdef0123456789abcdef01234567 10.1.0.7:6379@16379,redis-cluster-2.redis-cluster.ovation.svc.cluster.local,shard-id=a1 slave e7d1eecce10fd6bb5eb35b9f99a514335d9ba9ca 0 1700000000000 1 connected
                fedcba9876543210fedcba9876543210fedcba98 10.1.0.8:6379@16379 master - 0 1700000000000 3 connected 10923-16383
                vars currentEpoch 6 lastVoteEpoch 0
                """);

        // When it runs before redis-server
        ProcessBuilder run = new ProcessBuilder("sh", dir.resolve("refresh-nodes.sh").toString(), conf.toString())
                .redirectErrorStream(true);
        run.environment().put("PATH", bin + ":" + run.environment().get("PATH"));
        Process process = run.start();
        String output = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();

        // Then the nodes whose names resolve have their new addresses, everything else on each line as it was
        assertThat(process.exitValue()).as(output).isZero();
        assertThat(Files.readString(conf)).isEqualTo("""
                e7d1eecce10fd6bb5eb35b9f99a514335d9ba9ca 10.9.0.10:6379@16379,redis-cluster-0.redis-cluster.ovation.svc.cluster.local,shard-id=a1 myself,master - 0 0 1 connected 0-5460
                a1b2c3d4e5f60718293a4b5c6d7e8f9012345678 fd00::21:6379@16379,redis-cluster-1.redis-cluster.ovation.svc.cluster.local,shard-id=b2 master - 0 1700000000000 2 connected 5461-10922
                0123456789abcdef0123456789abcdef01234567 10.1.0.7:6379@16379,redis-cluster-2.redis-cluster.ovation.svc.cluster.local,shard-id=a1 slave e7d1eecce10fd6bb5eb35b9f99a514335d9ba9ca 0 1700000000000 1 connected
                fedcba9876543210fedcba9876543210fedcba98 10.1.0.8:6379@16379 master - 0 1700000000000 3 connected 10923-16383
                vars currentEpoch 6 lastVoteEpoch 0
                """);
    }

    /** The topology keys of the required pod anti-affinity terms that keep these pods apart. */
    static List<String> requiredAntiAffinity(Affinity affinity, Map<String, String> podLabels) {
        if (affinity == null || affinity.getPodAntiAffinity() == null) {
            return List.of();
        }
        return affinity.getPodAntiAffinity().getRequiredDuringSchedulingIgnoredDuringExecution().stream()
                .filter(term -> Labels.matches(term.getLabelSelector(), podLabels))
                .map(PodAffinityTerm::getTopologyKey).sorted().toList();
    }

    /** The topology keys on which the scheduler prefers to keep these pods apart from pods labelled so. */
    static List<String> preferredAntiAffinity(Affinity affinity, Map<String, String> podLabels) {
        if (affinity == null || affinity.getPodAntiAffinity() == null) {
            return List.of();
        }
        return affinity.getPodAntiAffinity().getPreferredDuringSchedulingIgnoredDuringExecution().stream()
                .map(WeightedPodAffinityTerm::getPodAffinityTerm)
                .filter(term -> Labels.matches(term.getLabelSelector(), podLabels))
                .map(PodAffinityTerm::getTopologyKey).sorted().toList();
    }

    /** Each KafkaNodePool as its node count and roles, for instance {@code 3 [controller]}. */
    static Map<String, String> pools(Manifests manifests) {
        Map<String, String> pools = new TreeMap<>();
        for (KafkaNodePool pool : manifests.all(KafkaNodePool.class)) {
            pools.put(pool.getMetadata().getName(), pool.getSpec().getReplicas() + " " + KafkaNodes.roles(pool));
        }
        return pools;
    }

    /** The topology keys these pods spread over without ever staying Pending for it (ScheduleAnyway). */
    static List<String> preferredSpread(List<TopologySpreadConstraint> constraints, Map<String, String> podLabels) {
        return constraints.stream()
                .filter(c -> c.getWhenUnsatisfiable().equals("ScheduleAnyway") && c.getMaxSkew() == 1)
                .filter(c -> Labels.matches(c.getLabelSelector(), podLabels))
                .map(TopologySpreadConstraint::getTopologyKey).sorted().toList();
    }

    /** The redis.conf of the ConfigMap that the workload mounts at /etc/redis, as directive to value. */
    static Map<String, String> redisConf(Manifests manifests, Manifests.Workload redis) {
        String volume = redis.containers().get(0).getVolumeMounts().stream()
                .filter(m -> m.getMountPath().equals("/etc/redis")).findFirst().orElseThrow().getName();
        String configMap = redis.template().getSpec().getVolumes().stream().filter(v -> v.getName().equals(volume))
                .findFirst().orElseThrow().getConfigMap().getName();
        Map<String, String> conf = new TreeMap<>();
        for (String line : manifests.find(ConfigMap.class, "ovation", configMap).orElseThrow().getData().get("redis.conf").split("\n")) {
            String directive = line.strip();
            if (!directive.isEmpty() && !directive.startsWith("#")) {
                String[] parts = directive.split("\\s+", 2);
                conf.put(parts[0], parts.length > 1 ? parts[1] : "");
            }
        }
        return conf;
    }

    /** A Redis memory size in bytes: 1k = 1000, 1kb = 1024, and so on (redis.conf's own units). */
    static long redisBytes(String size) {
        var m = Pattern.compile("(\\d+)(k|kb|m|mb|g|gb)?", Pattern.CASE_INSENSITIVE).matcher(size);
        assertThat(m.matches()).as("a Redis size: %s", size).isTrue();
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "" : m.group(2).toLowerCase();
        return switch (unit) {
            case "k" -> n * 1_000;
            case "kb" -> n * 1024;
            case "m" -> n * 1_000_000;
            case "mb" -> n * 1024 * 1024;
            case "g" -> n * 1_000_000_000;
            case "gb" -> n * 1024 * 1024 * 1024;
            default -> n;
        };
    }

    @Test
    void shouldReadRedisSizesInRedissUnits() {
        assertThat(redisBytes("768mb")).isEqualTo(805_306_368L);
        assertThat(redisBytes("1536MB")).isEqualTo(1_610_612_736L);
        assertThat(redisBytes("2g")).isEqualTo(2_000_000_000L);
        assertThat(new Quantity("1Gi").getNumericalAmount().multiply(new BigDecimal("0.75")).longValue())
                .isEqualTo(redisBytes("768mb"));
    }
}
