package dev.ovation.store;

import org.apache.kafka.clients.admin.Admin;

/**
 * The Kafka topic votes are queued in. Created on first use with the configured partition count
 * (the most counters that can share the work) and infinite retention, since the topic is the
 * durable record that a recount replays. What its records hold and how its clients are set is the
 * {@link VotesTopicContract}.
 *
 * @param replicationFactor the replication factor, or {@link KafkaTopics#CLUSTER_DEFAULT} for the brokers'
 *                          {@code default.replication.factor}
 */
public record VotesTopic(String name, int partitions, short replicationFactor) {

    /** The default topic name. */
    public static final String DEFAULT_NAME = "votes";

    /**
     * Creates the topic unless it exists.
     *
     * @throws InterruptedException when interrupted while waiting for Kafka
     * @throws IllegalStateException when Kafka refuses or does not answer within the timeout
     */
    public void ensureExists(Admin admin, long timeoutMillis) throws InterruptedException {
        KafkaTopics.ensure(admin, name, partitions, replicationFactor, VotesTopicContract.TOPIC, timeoutMillis);
    }
}
