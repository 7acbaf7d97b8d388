package dev.ovation.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.strimzi.api.kafka.model.kafka.Kafka;
import io.strimzi.api.kafka.model.kafka.listener.GenericKafkaListener;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Who may connect to what. Nothing gets in by default; each workload's policy lets in what it needs.
 * From outside the namespace only the Gateway's (or ingress controller's) proxies, and only to the
 * public ports: the ingest's HTTP and gRPC, the results' HTTP. The management ports (admin API,
 * /metrics) stay inside the namespace. Only the pods that use Kafka, Redis and MongoDB reach them: a
 * workload "uses" a store when its container sets the role's variable for it (OVATION_KAFKA,
 * OVATION_REDIS, OVATION_MONGO); the stores' own members, init Jobs and backups, and Grafana for Redis,
 * are the only others let in.
 */
class NetworkPolicyTest {

    /** The ports published through the Gateway: the ingest's HTTP and gRPC, the results' HTTP. */
    static final Map<String, Set<Integer>> PUBLIC_PORTS = Map.of(
            "Deployment ingest", Set.of(8080, 50051), "Deployment results", Set.of(8088));
    /** The management ports: the ingest's admin API and both roles' /metrics and health. */
    static final Map<String, Integer> MANAGEMENT_PORTS = Map.of("Deployment ingest", 8081, "Deployment results", 8089);

    static List<String> overlays() {
        return Repository.overlays();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("overlays")
    void shouldLetNoConnectionInByDefault(String overlay) {
        List<String> defaultDeny = Kustomize.overlay(overlay).all(NetworkPolicy.class).stream()
                .filter(Policies::isDefaultDeny).map(p -> p.getMetadata().getNamespace() + "/" + p.getMetadata().getName())
                .toList();

        assertThat(defaultDeny).containsExactly("ovation/default-deny-ingress");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("overlays")
    void shouldSayWhoMayConnectToEveryPod(String overlay) {
        Manifests manifests = Kustomize.overlay(overlay);
        List<String> unstated = new ArrayList<>();
        for (Manifests.Workload workload : manifests.workloads()) {
            boolean stated = Policies.selecting(manifests, workload).stream().anyMatch(p -> !Policies.isDefaultDeny(p));
            if (!stated) {
                unstated.add(workload.name());
            }
        }

        // every pod template is selected by a policy of its own, which says who may connect (maybe no one)
        assertThat(manifests.workloads()).hasSizeGreaterThan(5);
        assertThat(unstated).as("workloads that only the default deny selects").isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("overlays")
    void shouldLetOnlyTheGatewayInFromOutsideAndOnlyToThePublicPorts(String overlay) {
        Manifests manifests = Kustomize.overlay(overlay);
        Map<String, Set<String>> outsidePeers = new TreeMap<>();
        for (Manifests.Workload workload : manifests.workloads()) {
            for (int port : Policies.containerPorts(workload).values()) {
                Set<String> outside = Policies.peersReaching(manifests, workload, port).stream()
                        .filter(Policies::isOutside).map(NetworkPolicyPeer::toString).collect(Collectors.toCollection(TreeSet::new));
                if (!outside.isEmpty()) {
                    outsidePeers.put(workload.name() + ":" + port, outside);
                }
            }
        }

        Set<String> edge = outsidePeers.getOrDefault("Deployment ingest:8080", Set.of());
        assertThat(edge).as("the Gateway's proxies reach the ingest's HTTP port").hasSize(1);
        Map<String, Set<String>> expected = new TreeMap<>();
        PUBLIC_PORTS.forEach((workload, ports) -> ports.forEach(port -> expected.put(workload + ":" + port, edge)));
        assertThat(outsidePeers).as("ports reached from outside the namespace, and by whom").isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("overlays")
    void shouldKeepTheManagementPortsInsideTheNamespace(String overlay) {
        Manifests manifests = Kustomize.overlay(overlay);
        Set<String> everyWorkload = manifests.workloads().stream().map(Manifests.Workload::name)
                .collect(Collectors.toCollection(TreeSet::new));

        MANAGEMENT_PORTS.forEach((name, port) -> {
            Manifests.Workload workload = manifests.workload(name);
            assertThat(Policies.containerPorts(workload)).as(name).containsEntry("management", port);
            List<NetworkPolicyPeer> peers = Policies.peersReaching(manifests, workload, port);

            // the admin API and /metrics: every pod of the namespace (Prometheus, a recount, kubectl run) and
            // nothing outside it
            assertThat(peers).as("%s:%d reached from outside the namespace", name, port).noneMatch(Policies::isOutside);
            assertThat(Policies.admitted(manifests, peers)).as("%s:%d", name, port).isEqualTo(everyWorkload);
        });
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("overlays")
    void shouldLetPrometheusReachEveryPortItScrapes(String overlay) {
        Manifests manifests = Kustomize.overlay(overlay);
        Map<String, Boolean> scraped = new TreeMap<>();
        for (Manifests.Workload workload : manifests.workloads()) {
            Map<String, String> annotations = workload.template().getMetadata().getAnnotations();
            if (annotations != null && "true".equals(annotations.get("prometheus.io/scrape"))) {
                int port = Integer.parseInt(annotations.get("prometheus.io/port"));
                scraped.put(workload.name() + ":" + port, Policies.admitted(manifests,
                        Policies.peersReaching(manifests, workload, port)).contains("Deployment prometheus"));
            }
        }

        // the roles' metrics ports, and the exporters beside each Redis node and MongoDB member (ExportersTest)
        String redis = overlay.startsWith("prod") ? "StatefulSet redis-cluster" : "StatefulSet redis";
        assertThat(scraped).containsOnlyKeys("Deployment ingest:8081", "Deployment counter:8090", "Deployment results:8089",
                redis + ":9121", "StatefulSet mongodb:9216").doesNotContainValue(false);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("overlays")
    void shouldLetOnlyPrometheusReachTheCounterAndOnlyGrafanaReachPrometheus(String overlay) {
        Manifests manifests = Kustomize.overlay(overlay);

        assertThat(reaching(manifests, "Deployment counter", 8090)).containsExactly("Deployment prometheus");
        assertThat(reaching(manifests, "Deployment prometheus", 9090)).containsExactly("Deployment grafana");
        assertThat(reaching(manifests, "Deployment grafana", 3000)).as("kubectl port-forward only").isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("overlays")
    void shouldLetNothingConnectToTheJobs(String overlay) {
        Manifests manifests = Kustomize.overlay(overlay);
        Map<String, List<String>> rules = new TreeMap<>();
        for (Manifests.Workload job : manifests.workloads()) {
            if (job.isJob()) {
                rules.put(job.name(), Policies.selecting(manifests, job).stream()
                        .flatMap(p -> p.getSpec().getIngress().stream()).map(Object::toString).toList());
            }
        }

        assertThat(rules).containsKeys("Job mongodb-init").allSatisfy((job, ingress) ->
                assertThat(ingress).as("ingress rules of policies selecting %s", job).isEmpty());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("overlays")
    void shouldLetOnlyTheRolesThatUseKafkaThroughItsListeners(String overlay) {
        Manifests manifests = Kustomize.overlay(overlay);
        Kafka kafka = manifests.find(Kafka.class, "ovation", "ovation").orElseThrow();

        for (GenericKafkaListener listener : kafka.getSpec().getKafka().getListeners()) {
            // Strimzi turns the peers into the listener's NetworkPolicy; with none it lets every pod in
            assertThat(listener.getNetworkPolicyPeers()).as("listener %s", listener.getName()).isNotEmpty();
            Set<String> admitted = Policies.admitted(manifests, listener.getNetworkPolicyPeers());
            assertThat(admitted).as("pods let into Kafka's listener %s", listener.getName())
                    .isEqualTo(using(manifests, "OVATION_KAFKA"));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("overlays")
    void shouldLetOnlyTheRolesThatUseRedisGrafanaAndTheBackupReachIt(String overlay) {
        Manifests manifests = Kustomize.overlay(overlay);
        String redis = manifests.workloads().stream().map(Manifests.Workload::name)
                .filter(n -> n.equals("StatefulSet redis") || n.equals("StatefulSet redis-cluster"))
                .findFirst().orElseThrow();
        Set<String> expected = new TreeSet<>(using(manifests, "OVATION_REDIS"));
        expected.add("Deployment grafana");
        if (redis.endsWith("redis-cluster")) {
            // the nodes replicate and fail over among themselves; the init Job forms the cluster
            expected.addAll(Set.of(redis, "Job redis-cluster-init"));
        }
        expected.addAll(present(manifests, "CronJob redis-backup"));

        assertThat(expected).contains("Deployment counter", "Deployment results");
        assertThat(reaching(manifests, redis, 6379)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("overlays")
    void shouldLetOnlyTheRolesThatKeepTheVoteLogAndTheBackupReachMongoDb(String overlay) {
        Manifests manifests = Kustomize.overlay(overlay);
        Set<String> expected = new TreeSet<>(using(manifests, "OVATION_MONGO"));
        expected.addAll(Set.of("StatefulSet mongodb", "Job mongodb-init"));
        expected.addAll(present(manifests, "CronJob mongodb-backup"));

        assertThat(expected).contains("Deployment counter", "Deployment results");
        assertThat(reaching(manifests, "StatefulSet mongodb", 27017)).isEqualTo(expected);
    }

    /** The workloads whose containers set {@code variable}. */
    static Set<String> using(Manifests manifests, String variable) {
        Set<String> users = new TreeSet<>();
        for (Manifests.Workload workload : manifests.workloads()) {
            if (workload.allContainers().anyMatch(c -> Env.of(c).containsKey(variable))) {
                users.add(workload.name());
            }
        }
        return users;
    }

    private static Set<String> present(Manifests manifests, String workload) {
        return manifests.workloads().stream().map(Manifests.Workload::name).filter(workload::equals)
                .collect(Collectors.toSet());
    }

    /**
     * The workloads of the namespace let in on {@code port} of the target's pods by the NetworkPolicies that
     * select them; fails when some rule lets in pods of other namespaces or addresses.
     */
    static Set<String> reaching(Manifests manifests, String target, int port) {
        Manifests.Workload workload = manifests.workload(target);
        assertThat(Policies.selecting(manifests, workload)).as("NetworkPolicies selecting %s", target)
                .anyMatch(p -> !Policies.isDefaultDeny(p));
        List<NetworkPolicyPeer> peers = Policies.peersReaching(manifests, workload, port);
        assertThat(peers).as("peers outside the namespace reaching %s:%d", target, port).noneMatch(Policies::isOutside);
        return Policies.admitted(manifests, peers);
    }
}
