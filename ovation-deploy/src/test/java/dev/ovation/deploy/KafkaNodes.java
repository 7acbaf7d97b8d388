package dev.ovation.deploy;

import io.strimzi.api.kafka.model.nodepool.KafkaNodePool;
import io.strimzi.api.kafka.model.nodepool.ProcessRoles;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The Kafka nodes Strimzi runs for the KafkaNodePools of the Kafka "ovation". Strimzi writes their pods, so they
 * are not in the rendered manifests: the tests label them as Strimzi's KafkaPool and KafkaCluster do (the
 * cluster's labels, {@code strimzi.io/pool-name}, and {@code strimzi.io/broker-role} and
 * {@code strimzi.io/controller-role} from the pool's roles).
 */
final class KafkaNodes {

    private KafkaNodes() {
    }

    static boolean has(KafkaNodePool pool, ProcessRoles role) {
        return pool.getSpec().getRoles() != null && pool.getSpec().getRoles().contains(role);
    }

    /** The pool's roles as the manifest spells them, for instance {@code [controller, broker]}. */
    static List<String> roles(KafkaNodePool pool) {
        return pool.getSpec().getRoles().stream().map(ProcessRoles::toValue).toList();
    }

    /** The pools whose nodes are brokers, which hold the partitions. */
    static List<KafkaNodePool> brokerPools(Manifests manifests) {
        return manifests.all(KafkaNodePool.class).stream().filter(pool -> has(pool, ProcessRoles.BROKER)).toList();
    }

    /** The labels of a pod of the pool. */
    static Map<String, String> podLabels(KafkaNodePool pool) {
        return new TreeMap<>(Map.of(
                "strimzi.io/cluster", "ovation",
                "strimzi.io/kind", "Kafka",
                "strimzi.io/name", "ovation-kafka",
                "strimzi.io/component-type", "kafka",
                "strimzi.io/pool-name", pool.getMetadata().getName(),
                "strimzi.io/broker-role", String.valueOf(has(pool, ProcessRoles.BROKER)),
                "strimzi.io/controller-role", String.valueOf(has(pool, ProcessRoles.CONTROLLER)),
                "app.kubernetes.io/name", "kafka",
                "app.kubernetes.io/managed-by", "strimzi-cluster-operator"));
    }
}
