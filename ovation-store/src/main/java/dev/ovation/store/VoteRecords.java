package dev.ovation.store;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.ovation.model.VoteEnvelope;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;

/**
 * Reads single records of the votes topic by position: the vote a seen id points at
 * ({@link TallyStore#seen}), read back from the topic, which keeps every vote. One consumer,
 * assigned by hand (no group), used by one caller at a time.
 */
public final class VoteRecords implements AutoCloseable {

    private final KafkaConsumer<String, byte[]> consumer;
    private final String topic;
    private final Duration timeout;

    private VoteRecords(KafkaConsumer<String, byte[]> consumer, String topic, Duration timeout) {
        this.consumer = consumer;
        this.topic = topic;
        this.timeout = timeout;
    }

    /**
     * Opens a reader of {@code topic}; nothing is fetched until asked. Its settings are the
     * {@link VotesTopicContract}'s, and these: one record at a time, and timeouts short enough that a
     * broker gone is left soon.
     */
    public static VoteRecords open(String bootstrapServers, String topic, Duration timeout) {
        Map<String, Object> props = new HashMap<>();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1);
        props.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 50);
        props.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 64 * 1024);
        props.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
        // A broker cut off answers nothing: with Kafka's defaults the reader waited 30 s for a fetch to
        // it and 10 s (then up to 30 s) for each new connection before it asked who leads now, and
        // every vote check failed meanwhile (27 s with a broker partitioned, docs/reliability.md). A
        // fetch waits at most 50 ms at the broker, so 3 s without an answer means the broker is gone.
        props.put(ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG, 3_000);
        props.put(ConsumerConfig.SOCKET_CONNECTION_SETUP_TIMEOUT_MS_CONFIG, 1_000);
        props.put(ConsumerConfig.SOCKET_CONNECTION_SETUP_TIMEOUT_MAX_MS_CONFIG, 3_000);
        props.put(ConsumerConfig.METADATA_MAX_AGE_CONFIG, 5_000);
        props.put(ConsumerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 1_000);
        return new VoteRecords(VotesTopicContract.consumer(props), topic, timeout);
    }

    /**
     * The vote with {@code id} at {@code offset} of whichever partition of {@code shard} holds it
     * (partitions p with {@code p mod 16 == shard}), or empty when none does: the record is gone
     * (the topic's retention was shortened), is no vote, or carries another id.
     *
     * @throws KafkaException when Kafka does not answer within the timeout (one for the whole search)
     */
    public synchronized Optional<Found> find(int shard, long offset, String id) {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (int partition : partitionsOf(shard, deadline)) {
            Optional<VoteEnvelope> found = read(partition, offset, deadline).filter(e -> e.vote().id().equals(id));
            if (found.isPresent()) {
                return Optional.of(new Found(partition, found.get()));
            }
        }
        return Optional.empty();
    }

    /** A vote read back, and the partition it was read from. */
    public record Found(int partition, VoteEnvelope envelope) {
    }

    private List<Integer> partitionsOf(int shard, long deadline) {
        List<PartitionInfo> infos = consumer.partitionsFor(topic, remaining(deadline));
        List<Integer> partitions = new ArrayList<>();
        if (infos != null) {
            for (PartitionInfo info : infos) {
                if (TallyLayout.shardOf(info.partition()) == shard) {
                    partitions.add(info.partition());
                }
            }
        }
        partitions.sort(null);
        return partitions;
    }

    private Optional<VoteEnvelope> read(int partition, long offset, long deadline) {
        TopicPartition tp = new TopicPartition(topic, partition);
        consumer.assign(List.of(tp));
        consumer.seek(tp, offset);
        while (System.nanoTime() < deadline) {
            for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                if (record.offset() != offset) {
                    // the record at offset is gone (retention or compaction): Kafka served the next one
                    return Optional.empty();
                }
                try {
                    return Optional.of(VotesTopicContract.decode(record.value()));
                } catch (InvalidProtocolBufferException e) {
                    return Optional.empty();
                }
            }
            if (consumer.position(tp) > offset) {
                return Optional.empty();
            }
            Long end = consumer.endOffsets(List.of(tp), remaining(deadline)).get(tp);
            if (end != null && end <= offset) {
                return Optional.empty();
            }
        }
        throw new KafkaException("Kafka did not serve " + topic + "/" + partition + "@" + offset + " within " + timeout);
    }

    /** What is left of a {@code find}'s time (at least a millisecond, so that Kafka's calls still try once). */
    private static Duration remaining(long deadline) {
        return Duration.ofNanos(Math.max(TimeUnit.MILLISECONDS.toNanos(1), deadline - System.nanoTime()));
    }

    @Override
    public synchronized void close() {
        consumer.close(Duration.ofSeconds(5));
    }
}
