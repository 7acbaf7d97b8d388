package dev.ovation.store;

import dev.ovation.model.UnreachableException;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates Ovation's Kafka topics with the replication the cluster gives, and says at start what each
 * topic got.
 *
 * <p>A replication factor of {@value #CLUSTER_DEFAULT} (the default of {@code OVATION_TOPIC_REPLICATION})
 * leaves it to the brokers' {@code default.replication.factor}; {@code min.insync.replicas} is never set
 * on a topic, so the brokers' own applies (or the one an operator set on the topic, as Strimzi's
 * {@code KafkaTopic} does). A topic that can lose an acknowledged vote with one broker (replicated
 * fewer times than the cluster could, or with {@code min.insync.replicas} 1 while replicated) gets a
 * warning that names the setting to change.
 */
public final class KafkaTopics {

    /** The replication factor meaning "the brokers' {@code default.replication.factor}". */
    public static final short CLUSTER_DEFAULT = 0;

    private static final Logger LOG = LoggerFactory.getLogger(KafkaTopics.class);
    private static final String MIN_ISR = "min.insync.replicas";

    private KafkaTopics() {
    }

    /**
     * Creates {@code name} unless it exists.
     *
     * @param replication the replication factor, or {@link #CLUSTER_DEFAULT}
     * @param configs     the topic's own settings (never {@code min.insync.replicas})
     * @throws IllegalStateException when Kafka refuses
     * @throws UnreachableException when Kafka does not answer within {@code timeoutMillis}
     */
    public static void ensure(Admin admin, String name, int partitions, short replication, Map<String, String> configs,
                              long timeoutMillis) throws InterruptedException {
        try {
            if (admin.listTopics().names().get(timeoutMillis, TimeUnit.MILLISECONDS).contains(name)) {
                return;
            }
            NewTopic topic = new NewTopic(name, Optional.of(partitions),
                    replication == CLUSTER_DEFAULT ? Optional.empty() : Optional.of(replication)).configs(configs);
            admin.createTopics(List.of(topic)).all().get(timeoutMillis, TimeUnit.MILLISECONDS);
            LOG.info("created Kafka topic '{}'", name);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException("could not create Kafka topic '" + name + "': "
                        + e.getCause().getMessage(), e.getCause());
            }
        } catch (TimeoutException e) {
            throw new UnreachableException("Kafka did not answer within " + timeoutMillis
                    + " ms while checking topic '" + name + "'", e);
        }
    }

    /**
     * What each topic got, as a person reads it, and a warning for one that a single broker lost can
     * take acknowledged votes from.
     */
    public static List<Replication> report(Admin admin, Collection<String> names, long timeoutMillis)
            throws InterruptedException {
        try {
            int brokers = admin.describeCluster().nodes().get(timeoutMillis, TimeUnit.MILLISECONDS).size();
            Map<String, TopicDescription> topics = admin.describeTopics(names).allTopicNames()
                    .get(timeoutMillis, TimeUnit.MILLISECONDS);
            Map<ConfigResource, Config> configs = admin.describeConfigs(names.stream()
                    .map(name -> new ConfigResource(ConfigResource.Type.TOPIC, name)).toList())
                    .all().get(timeoutMillis, TimeUnit.MILLISECONDS);
            List<Replication> report = names.stream().map(name -> {
                TopicDescription topic = topics.get(name);
                ConfigEntry minIsr = configs.get(new ConfigResource(ConfigResource.Type.TOPIC, name)).get(MIN_ISR);
                return new Replication(name, topic.partitions().size(), topic.partitions().get(0).replicas().size(),
                        minIsr == null ? 1 : Integer.parseInt(minIsr.value()),
                        minIsr == null ? "default" : sourceOf(minIsr), brokers);
            }).toList();
            for (Replication topic : report) {
                LOG.info("{}", topic);
                topic.risk().ifPresent(risk -> LOG.warn("Kafka topic '{}': {}", topic.topic(), risk));
            }
            return report;
        } catch (ExecutionException | TimeoutException e) {
            LOG.warn("could not read the replication of the topics {}: {}", names, e.toString());
            return List.of();
        }
    }

    private static String sourceOf(ConfigEntry entry) {
        return switch (entry.source()) {
            case DYNAMIC_TOPIC_CONFIG -> "set on the topic";
            case DEFAULT_CONFIG -> "Kafka's default";
            default -> "the brokers' setting";
        };
    }

    /**
     * A topic's replication as the cluster reports it.
     *
     * @param replicas the replication factor (of partition 0)
     * @param minIsr   the {@code min.insync.replicas} the topic runs with
     * @param source   where that setting comes from
     * @param brokers  brokers in the cluster
     */
    public record Replication(String topic, int partitions, int replicas, int minIsr, String source, int brokers) {

        /** Why one broker lost can cost acknowledged votes, when it can. */
        public Optional<String> risk() {
            if (replicas < Math.min(3, brokers)) {
                return Optional.of("replicated " + replicas + " time(s) on a cluster of " + brokers + " brokers: a broker"
                        + " lost takes its partitions' votes with it; create it with OVATION_TOPIC_REPLICATION=3 (or unset,"
                        + " for the brokers' default.replication.factor), or raise it with kafka-reassign-partitions");
            }
            if (replicas > 1 && minIsr < 2) {
                return Optional.of("min.insync.replicas is " + minIsr + " (" + source + ") with " + replicas
                        + " replicas: a vote is acknowledged once one broker has it, and lost if that broker is; set"
                        + " min.insync.replicas=2 on the brokers or the topic");
            }
            return Optional.empty();
        }

        @Override
        public String toString() {
            return "Kafka topic '" + topic + "': " + partitions + " partition(s), replication factor " + replicas
                    + " on " + brokers + " broker(s), min.insync.replicas " + minIsr + " (" + source + ")";
        }
    }
}
