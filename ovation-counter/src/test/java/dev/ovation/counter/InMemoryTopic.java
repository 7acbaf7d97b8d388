package dev.ovation.counter;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;

/**
 * A votes topic kept in memory, read through Kafka's {@link MockConsumer} so that a {@link VoteCounter}
 * runs without a broker. A bare {@code MockConsumer} hands each added record out once; the counter's
 * exactly-once rests on reading records again after a seek back (a rewind, a resume at the stored
 * positions), so a {@link TopicConsumer} reads this topic from its position at every poll, as a broker
 * would. Several consumers may read one topic.
 */
final class InMemoryTopic {

    /** A record to append: its key and value. */
    record Message(String key, byte[] value) {
    }

    private final String name;
    private final Map<Integer, List<ConsumerRecord<String, byte[]>>> partitions = new HashMap<>();
    private final List<TopicConsumer> consumers = new CopyOnWriteArrayList<>();

    InMemoryTopic(String name) {
        this.name = name;
    }

    String name() {
        return name;
    }

    /** Appends the messages to a partition in one go: a poll reads all of them or none. */
    void append(int partition, List<Message> messages) {
        synchronized (this) {
            List<ConsumerRecord<String, byte[]>> log = partitions.computeIfAbsent(partition, p -> new ArrayList<>());
            for (Message message : messages) {
                log.add(new ConsumerRecord<>(name, partition, log.size(), message.key(), message.value()));
            }
        }
        // outside this topic's lock: a polling consumer holds its own lock, then takes this one
        consumers.forEach(TopicConsumer::recordsArrived);
    }

    private synchronized List<ConsumerRecord<String, byte[]>> readFrom(int partition, long offset) {
        List<ConsumerRecord<String, byte[]>> log = partitions.getOrDefault(partition, List.of());
        return offset >= log.size() ? List.of() : List.copyOf(log.subList((int) offset, log.size()));
    }

    private synchronized long end(int partition) {
        return partitions.getOrDefault(partition, List.of()).size();
    }

    /** A new consumer of this topic, holding no partition until {@link TopicConsumer#handOver}. */
    TopicConsumer consumer() {
        TopicConsumer consumer = new TopicConsumer();
        consumers.add(consumer);
        return consumer;
    }

    /**
     * A consumer of the topic that reads it from its position at each poll, waits up to the poll's
     * timeout when there is nothing to read (as Kafka's does, rather than spinning), and remembers
     * every offset it handed out, in order.
     */
    final class TopicConsumer extends MockConsumer<String, byte[]> {

        private final List<Long> delivered = new ArrayList<>();
        private int pendingTasks;
        private boolean wokenUp;

        private TopicConsumer() {
            super("earliest");
        }

        /**
         * Gives the consumer these partitions at its next poll, on the polling thread, as the group's
         * rebalance would: the counter's rebalance listener runs there. With no committed offset, each
         * starts at offset 0 unless the listener seeks.
         */
        synchronized void handOver(int... partitions) {
            List<TopicPartition> granted = Arrays.stream(partitions).mapToObj(p -> new TopicPartition(name, p)).toList();
            Map<TopicPartition, Long> beginnings = new HashMap<>();
            granted.forEach(partition -> beginnings.put(partition, 0L));
            updateBeginningOffsets(beginnings);
            schedulePollTask(() -> rebalance(granted));
        }

        /** Every offset handed out by a poll, in order, repeats included. */
        synchronized List<Long> delivered() {
            return List.copyOf(delivered);
        }

        @Override
        public synchronized ConsumerRecords<String, byte[]> poll(Duration timeout) {
            awaitWork(timeout);
            // a due task (a rebalance) runs first in super.poll and moves the position
            if (pendingTasks == 0) {
                for (TopicPartition partition : readable()) {
                    readFrom(partition.partition(), position(partition)).forEach(this::addRecord);
                }
            }
            ConsumerRecords<String, byte[]> records = super.poll(timeout);
            records.forEach(record -> delivered.add(record.offset()));
            return records;
        }

        private void awaitWork(Duration timeout) {
            long deadline = System.nanoTime() + timeout.toNanos();
            try {
                while (!wokenUp && pendingTasks == 0 && !hasRecordsToRead()) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        return;
                    }
                    TimeUnit.NANOSECONDS.timedWait(this, left);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptException(e);
            } finally {
                wokenUp = false;
            }
        }

        private boolean hasRecordsToRead() {
            for (TopicPartition partition : readable()) {
                if (position(partition) < end(partition.partition())) {
                    return true;
                }
            }
            return false;
        }

        private List<TopicPartition> readable() {
            List<TopicPartition> readable = new ArrayList<>(assignment());
            readable.removeAll(paused());
            return readable;
        }

        private synchronized void recordsArrived() {
            notifyAll();
        }

        @Override
        public synchronized void schedulePollTask(Runnable task) {
            pendingTasks++;
            super.schedulePollTask(() -> {
                pendingTasks--;
                task.run();
            });
            notifyAll();
        }

        @Override
        public synchronized void resume(Collection<TopicPartition> partitions) {
            super.resume(partitions);
            notifyAll();
        }

        @Override
        public synchronized void wakeup() {
            wokenUp = true;
            super.wakeup();
            notifyAll();
        }
    }
}
