package dev.ovation.counter;

import dev.ovation.model.Vote;
import dev.ovation.model.VoteEnvelope;
import dev.ovation.model.contest.Contest;
import dev.ovation.store.DeadLetterTopic;
import dev.ovation.store.TallyStore;
import dev.ovation.store.VoteLog;
import dev.ovation.store.VotesTopicContract;
import dev.ovation.store.WarmupSpace;
import dev.ovation.web.Metrics;
import dev.ovation.web.Warmup;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * The counter's warm-up load: a second {@link VoteCounter}, the same class with the same stores,
 * counting the warm-up's topic in the warm-up's consumer group (shared by the counters warming up at
 * once, as the real group is), fed votes of the warm-up's contest
 * (counted, duplicates and over a voter's limit) by a producer of its own. Its meters go to a
 * registry of its own; once warm, what it counted is deleted ({@link WarmupSpace#forget}).
 */
final class CounterWarmup implements Warmup.Load {

    /** Votes fed in one round; the round then waits (a little) for the warm-up's counter to count. */
    private static final int ROUND_VOTES = 1_000;
    private static final int VOTERS = 500;
    private static final long ROUND_WAIT_MILLIS = 2_000;
    /** How long the warm-up's counter may hold partitions and count nothing before the warm-up fails. */
    private static final long STALLED_MILLIS = 20_000;

    private final WarmupSpace space;
    private final Producer<String, byte[]> feeder;
    private final Metrics meters;
    private final CounterMetrics counterMeters;
    private final VoteCounter counter;
    private final Thread thread;
    private final TallyStore tallies;
    private final VoteLog log;
    private final String runId = Long.toString(System.nanoTime(), 36);
    private long lastProgress = System.nanoTime();
    private long sequence;

    private CounterWarmup(WarmupSpace space, Producer<String, byte[]> feeder, Metrics meters,
                          CounterMetrics counterMeters, VoteCounter counter, TallyStore tallies, VoteLog log) {
        this.space = space;
        this.feeder = feeder;
        this.meters = meters;
        this.counterMeters = counterMeters;
        this.counter = counter;
        this.tallies = tallies;
        this.log = log;
        this.thread = new Thread(counter, "ovation-counter-warmup-counting");
        thread.setDaemon(true);
    }

    /** How the counter warms up, for {@link Warmup#of}: with the role's own stores. */
    static Warmup.LoadFactory factory(CounterConfig config, WarmupSpace space, TallyStore tallies, VoteLog log) {
        return () -> {
            Metrics meters = new Metrics();
            CounterMetrics counterMeters = new CounterMetrics(meters.registry());
            KafkaConsumer<String, byte[]> consumer = CounterService.createConsumer(config,
                    config.groupId() + ".warmup", "ovation-counter-warmup");
            VoteCounter counter = new VoteCounter(consumer, space.topic(), tallies, log, Clock.systemUTC(),
                    counterMeters, DeadLetterTopic.writer(config.stores().kafkaBootstrap(), space.topic()));
            CounterWarmup warmup = new CounterWarmup(space, feeder(config.stores().kafkaBootstrap()), meters,
                    counterMeters, counter, tallies, log);
            warmup.thread.start();
            return warmup;
        };
    }

    /** The votes topic's producer ({@link VotesTopicContract}), sending the warm-up's votes within seconds. */
    private static Producer<String, byte[]> feeder(String bootstrap) {
        Map<String, Object> props = new HashMap<>();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "ovation-counter-warmup-feeder");
        props.put(ProducerConfig.LINGER_MS_CONFIG, 1);
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 10_000);
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
        return VotesTopicContract.producer(props);
    }

    @Override
    public long round() throws Exception {
        long batchedBefore = counterMeters.recordsBatched();
        List<Future<?>> sent = new ArrayList<>(ROUND_VOTES);
        for (int i = 0; i < ROUND_VOTES; i++) {
            long n = sequence++;
            // every tenth id twice (a duplicate), voters of a small pool with a limit of 3 (over the limit)
            Vote vote = new Vote("warmup-" + runId + "-" + (n % 10 == 9 ? n - 1 : n), Contest.WARMUP_ID,
                    "Warm-up band " + (n % 4), "Album " + (n % 5), "1969", Long.toString(n % 10),
                    n % 3 == 0 ? "" : "v1:warmup" + (n % VOTERS));
            sent.add(feeder.send(VotesTopicContract.record(space.topic(),
                    new VoteEnvelope(vote, "grpc", System.currentTimeMillis(), 3))));
        }
        for (Future<?> ack : sent) {
            try {
                ack.get(15, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                throw new IllegalStateException("Kafka did not take the warm-up's votes: " + e.getCause().getMessage(),
                        e.getCause());
            }
        }
        // Counters warming up at once share the warm-up's group, so this one may count only part of
        // what it fed, or nothing when it holds no partition: it waits for progress, not for all of it.
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ROUND_WAIT_MILLIS);
        while (counterMeters.recordsBatched() == batchedBefore && System.nanoTime() - deadline < 0) {
            if (!thread.isAlive()) {
                throw new IllegalStateException("the warm-up's counter stopped");
            }
            Thread.sleep(5);
        }
        long now = System.nanoTime();
        if (counterMeters.recordsBatched() > batchedBefore || counterMeters.assignedPartitions() == 0) {
            lastProgress = now;
        } else if (now - lastProgress > TimeUnit.MILLISECONDS.toNanos(STALLED_MILLIS)) {
            throw new IllegalStateException("the warm-up's counter counted nothing for " + STALLED_MILLIS
                    + " ms while holding " + counterMeters.assignedPartitions() + " partitions: are Redis and"
                    + " MongoDB answering?");
        }
        return ROUND_VOTES;
    }

    /** Stops the warm-up's counter and deletes what it counted. */
    @Override
    public void close() throws Exception {
        try {
            counter.stop();
            thread.join(TimeUnit.SECONDS.toMillis(15));
        } finally {
            try {
                feeder.close();
                meters.close();
            } finally {
                space.forget(tallies, log);
            }
        }
    }
}
