package dev.ovation.store;

import dev.ovation.model.UnreachableException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * The Kafka topic votes are queued in. Created on first use with the configured partition count
 * (the most counters that can share the work) and infinite retention, since the topic is the
 * durable record that a recount replays.
 */
public record VotesTopic(String name, int partitions, short replicationFactor) {

    /** The default topic name. */
    public static final String DEFAULT_NAME = "votes";

    /**
     * Creates the topic unless it exists.
     *
     * @throws InterruptedException when interrupted while waiting for Kafka
     * @throws IllegalStateException when Kafka does not answer within the timeout
     */
    public void ensureExists(Admin admin, long timeoutMillis) throws InterruptedException {
        try {
            Set<String> existing = admin.listTopics().names().get(timeoutMillis, TimeUnit.MILLISECONDS);
            if (existing.contains(name)) {
                return;
            }
            NewTopic topic = new NewTopic(name, partitions, replicationFactor)
                    .configs(Map.of("retention.ms", "-1", "min.insync.replicas",
                            String.valueOf(Math.max(1, replicationFactor - 1))));
            admin.createTopics(List.of(topic)).all().get(timeoutMillis, TimeUnit.MILLISECONDS);
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
}
