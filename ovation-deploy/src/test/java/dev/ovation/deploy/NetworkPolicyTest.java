package dev.ovation.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.strimzi.api.kafka.model.kafka.Kafka;
import io.strimzi.api.kafka.model.kafka.listener.GenericKafkaListener;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Only the pods that use Kafka, Redis and MongoDB reach them. A workload "uses" a store when its
 * container sets the role's variable for it (OVATION_KAFKA, OVATION_REDIS, OVATION_MONGO); the stores'
 * own members and init Jobs, and Grafana for Redis, are the only others let in.
 */
class NetworkPolicyTest {

    static List<String> overlays() {
        return Repository.overlays();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("overlays")
    void shouldLetOnlyTheRolesThatUseKafkaThroughItsListeners(String overlay) {
        Manifests manifests = Kustomize.overlay(overlay);
        Kafka kafka = manifests.find(Kafka.class, "ovation", "ovation").orElseThrow();

        for (GenericKafkaListener listener : kafka.getSpec().getKafka().getListeners()) {
            // Strimzi turns the peers into the listener's NetworkPolicy; with none it lets every pod in
            assertThat(listener.getNetworkPolicyPeers()).as("listener %s", listener.getName()).isNotEmpty();
            Set<String> admitted = admitted(manifests, listener.getNetworkPolicyPeers());
            assertThat(admitted).as("pods let into Kafka's listener %s", listener.getName())
                    .isEqualTo(using(manifests, "OVATION_KAFKA"));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("overlays")
    void shouldLetOnlyTheRolesThatUseRedisAndGrafanaReachIt(String overlay) {
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

        assertThat(expected).contains("Deployment counter", "Deployment results");
        assertThat(reaching(manifests, redis, 6379)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("overlays")
    void shouldLetOnlyTheRolesThatKeepTheVoteLogReachMongoDb(String overlay) {
        Manifests manifests = Kustomize.overlay(overlay);
        Set<String> expected = new TreeSet<>(using(manifests, "OVATION_MONGO"));
        expected.addAll(Set.of("StatefulSet mongodb", "Job mongodb-init"));

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

    /** The workloads of the namespace that some peer admits (pod selectors; other namespaces are not Ovation's). */
    static Set<String> admitted(Manifests manifests, List<NetworkPolicyPeer> peers) {
        Set<String> admitted = new TreeSet<>();
        for (NetworkPolicyPeer peer : peers) {
            if (peer.getNamespaceSelector() != null || peer.getIpBlock() != null) {
                continue;
            }
            for (Manifests.Workload workload : manifests.workloads()) {
                Map<String, String> labels = workload.template().getMetadata().getLabels();
                if (peer.getPodSelector() != null && Labels.matches(peer.getPodSelector(), labels)) {
                    admitted.add(workload.name());
                }
            }
        }
        return admitted;
    }

    /**
     * The workloads let in on {@code port} of the target's pods by the NetworkPolicies that select them;
     * fails when none selects them (every pod would then be let in).
     */
    static Set<String> reaching(Manifests manifests, String target, int port) {
        Manifests.Workload store = manifests.workloads().stream().filter(w -> w.name().equals(target)).findFirst()
                .orElseThrow();
        Map<String, String> labels = store.template().getMetadata().getLabels();
        List<NetworkPolicy> policies = manifests.all(NetworkPolicy.class).stream()
                .filter(p -> Labels.matches(p.getSpec().getPodSelector(), labels)).toList();
        assertThat(policies).as("NetworkPolicies isolating %s", target).isNotEmpty();
        Set<String> reaching = new TreeSet<>();
        for (NetworkPolicy policy : policies) {
            assertThat(policy.getSpec().getPolicyTypes()).contains("Ingress");
            policy.getSpec().getIngress().stream()
                    .filter(rule -> rule.getPorts().isEmpty() || rule.getPorts().stream()
                            .anyMatch(p -> p.getPort() != null && Integer.valueOf(port).equals(p.getPort().getIntVal())))
                    .forEach(rule -> {
                        assertThat(rule.getFrom()).as("%s lets every pod in", policy.getMetadata().getName()).isNotEmpty();
                        reaching.addAll(admitted(manifests, rule.getFrom()));
                    });
        }
        return reaching;
    }
}
