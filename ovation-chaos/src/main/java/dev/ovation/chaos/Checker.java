package dev.ovation.chaos;

import com.mongodb.client.MongoClient;
import dev.ovation.chaos.History.Outcome;
import dev.ovation.counter.Recount;
import dev.ovation.counter.RecountReport;
import dev.ovation.store.ContestTally;
import dev.ovation.store.LogEntry;
import dev.ovation.store.LogPage;
import dev.ovation.store.RedisLink;
import dev.ovation.store.StoreClients;
import dev.ovation.store.TallyLayout;
import dev.ovation.store.TallyStore;
import dev.ovation.store.VoteLog;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/**
 * Reads what the cluster holds once the run is over and proves, against the client's history, what
 * was lost (acknowledged, never counted), doubled (one id counted twice, or tallies above the ids
 * counted), and invented (counted, never sent); and that the tallies agree with a recount of the
 * votes topic and with the vote log.
 */
final class Checker {

    static final String TOPIC = "votes";

    private final Cluster cluster;

    Checker(Cluster cluster) {
        this.cluster = cluster;
    }

    /**
     * Waits until the counters have applied the whole votes topic, in the tallies and in the log, or
     * {@code deadline} passes; how long it took, or -1.
     */
    long awaitCounted(Duration deadline, Runnable tick) throws InterruptedException {
        long start = System.nanoTime();
        try (RedisLink redis = RedisLink.open(String.join(",", cluster.list("REDIS")), Duration.ofSeconds(5));
             MongoClient mongo = StoreClients.mongo(cluster.env("MONGO"));
             KafkaConsumer<String, byte[]> consumer = Recount.consumer(cluster.env("KAFKA"))) {
            TallyStore tallies = new TallyStore(redis, Duration.ofHours(24), Duration.ofSeconds(5));
            VoteLog log = new VoteLog(mongo.getDatabase("ovation"));
            List<TopicPartition> partitions = consumer.partitionsFor(TOPIC).stream()
                    .map(p -> new TopicPartition(TOPIC, p.partition())).toList();
            while (System.nanoTime() - start < deadline.toNanos()) {
                try {
                    Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, Duration.ofSeconds(5));
                    Map<Integer, Long> counted = tallies.positions(TOPIC, partitions.stream().map(TopicPartition::partition).toList());
                    Map<Integer, Long> logged = log.positions(TOPIC);
                    boolean all = ends.entrySet().stream().allMatch(end -> end.getValue() == 0
                            || (end.getValue().equals(counted.get(end.getKey().partition()))
                                && end.getValue().equals(logged.get(end.getKey().partition()))));
                    if (all) {
                        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                    }
                } catch (RuntimeException e) {
                    // a store still failing over: look again
                }
                tick.run();
                Thread.sleep(500);
            }
            return -1;
        }
    }

    /** Where the tallies are, per partition of the votes topic (absent: none stored). */
    Map<Integer, Long> talliesPositions() {
        try (RedisLink redis = RedisLink.open(String.join(",", cluster.list("REDIS")), Duration.ofSeconds(5));
             KafkaConsumer<String, byte[]> consumer = Recount.consumer(cluster.env("KAFKA"))) {
            List<Integer> partitions = consumer.partitionsFor(TOPIC).stream().map(p -> p.partition()).toList();
            return new TallyStore(redis, Duration.ofHours(24), Duration.ofSeconds(5)).positions(TOPIC, partitions);
        }
    }

    /** What the stores hold of {@code contest}, beside what the client knows of it. */
    Verdict check(String contest, History history) {
        try (RedisLink redis = RedisLink.open(String.join(",", cluster.list("REDIS")), Duration.ofSeconds(10));
             MongoClient mongo = StoreClients.mongo(cluster.env("MONGO"));
             KafkaConsumer<String, byte[]> consumer = Recount.consumer(cluster.env("KAFKA"))) {
            Map<String, Integer> countedIn = new HashMap<>();
            long doubled = 0;
            long rejected = 0;
            TallyStore tallies = new TallyStore(redis, Duration.ofHours(24), Duration.ofSeconds(10));
            for (int shard = 0; shard < TallyLayout.SHARDS; shard++) {
                for (Map.Entry<String, TallyStore.SeenVote> decided : tallies.seenInShard(contest, shard).entrySet()) {
                    if (decided.getValue().counted()) {
                        if (countedIn.put(decided.getKey(), shard) != null) {
                            doubled++;
                        }
                    } else {
                        rejected++;
                    }
                }
            }
            Map<String, History.Vote> sent = new HashMap<>();
            history.votes().forEach(v -> sent.put(v.id, v));
            long acknowledged = 0;
            long refused = 0;
            long unknown = 0;
            long lost = 0;
            long unknownCounted = 0;
            Map<String, Long> expectedBands = new TreeMap<>();
            for (History.Vote vote : sent.values()) {
                boolean counted = countedIn.containsKey(vote.id);
                if (vote.outcome == Outcome.ACKNOWLEDGED) {
                    acknowledged++;
                    if (!counted) {
                        lost++;
                    }
                } else if (vote.outcome == Outcome.REFUSED) {
                    refused++;
                } else {
                    unknown++;
                    if (counted) {
                        unknownCounted++;
                    }
                }
                if (counted) {
                    expectedBands.merge(vote.band, 1L, Long::sum);
                }
            }
            long invented = countedIn.keySet().stream().filter(id -> !sent.containsKey(id)).count();
            ContestTally tally = tallies.read(contest);
            Map<String, Long> tallyBands = new TreeMap<>();
            tally.bands().forEach(b -> tallyBands.put(b.band(), b.votes()));
            doubled += Math.max(0, tally.total() - countedIn.size());
            RecountReport recount = new Recount(redis, consumer, TOPIC, Duration.ofHours(24), Duration.ofSeconds(30),
                    Recount.Progress.SILENT).run(contest);
            VoteLog log = new VoteLog(mongo.getDatabase("ovation"));
            Set<String> logged = new HashSet<>();
            long logEntries = 0;
            String logError = null;
            String cursor = null;
            try {
                do {
                    LogPage page = log.latest(contest, 1_000, cursor);
                    for (LogEntry entry : page.entries()) {
                        logEntries++;
                        logged.add(entry.id());
                    }
                    cursor = page.next();
                } while (cursor != null);
            } catch (RuntimeException e) {
                // the log cannot be read through: a finding, not the end of the check
                logError = e.toString();
            }
            long loggedTwice = logEntries - logged.size();
            long notLogged = countedIn.keySet().stream().filter(id -> !logged.contains(id)).count();
            return new Verdict(sent.size(), acknowledged, refused, unknown, unknownCounted, lost, doubled, invented,
                    tally.total(), countedIn.size(), rejected, expectedBands.equals(tallyBands), expectedBands, tallyBands,
                    !recount.differs(), recount.total(), logEntries, loggedTwice, notLogged, logError);
        }
    }

    /**
     * What the check found.
     *
     * @param unknownCounted votes whose outcome the client never learned, counted (once): allowed
     * @param bandsAgree     every band's tally equals the ids counted for it
     * @param recountAgrees  the tallies equal a recount of the votes topic, line by line
     * @param loggedTwice    log entries beyond one per id
     * @param notLogged      ids counted in the tallies and missing from the log
     * @param logError       why the log could not be read through, or null
     */
    record Verdict(long votes, long acknowledged, long refused, long unknown, long unknownCounted, long lost,
                   long doubled, long invented, long tallyTotal, long idsCounted, long idsRejected, boolean bandsAgree,
                   Map<String, Long> expectedBands, Map<String, Long> tallyBands, boolean recountAgrees,
                   long recountTotal, long logEntries, long loggedTwice, long notLogged, String logError) {

        boolean exact() {
            return logError == null && lost == 0 && doubled == 0 && invented == 0 && bandsAgree && recountAgrees && recountTotal == tallyTotal
                    && logEntries == idsCounted + idsRejected && loggedTwice == 0 && notLogged == 0;
        }
    }
}
