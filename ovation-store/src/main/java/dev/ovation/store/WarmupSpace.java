package dev.ovation.store;

import dev.ovation.model.contest.Contest;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;

/**
 * Where the warm-up's votes live, apart from every real vote: the topic {@code <votes>.warmup}
 * (same partitions as the votes topic, kept an hour) and the reserved contest
 * {@value Contest#WARMUP_ID}, which no contest can be created as. The recount replays only the votes
 * topic, the results and exports read only stored contests, and the warm-up writes its meters to a
 * registry of its own; its tallies, seen ids, voters and log are deleted once it is done. Its topic's
 * positions stay (one key per partition in Redis, one document in the log's {@code positions}), so
 * the next warm-up starts where this one ended.
 *
 * @param topic      the warm-up's topic
 * @param partitions its partitions, as many as the votes topic's
 */
public record WarmupSpace(String topic, int partitions, short replicationFactor) {

    /** How long the warm-up's topic keeps a record: enough for a restart, never a night. */
    static final long RETENTION_MS = TimeUnit.HOURS.toMillis(1);

    /** The warm-up space of a votes topic. */
    public static WarmupSpace of(VotesTopic votes) {
        return new WarmupSpace(votes.name() + ".warmup", votes.partitions(), votes.replicationFactor());
    }

    /** The contest the warm-up's votes name. */
    public String contest() {
        return Contest.WARMUP_ID;
    }

    /**
     * Creates the topic unless it exists.
     *
     * @throws IllegalStateException when Kafka does not create it within {@code timeoutMillis}
     */
    public void ensureTopic(Admin admin, long timeoutMillis) throws InterruptedException {
        KafkaTopics.ensure(admin, topic, partitions, replicationFactor, Map.of(
                "retention.ms", String.valueOf(RETENTION_MS), "segment.ms", String.valueOf(RETENTION_MS)), timeoutMillis);
    }

    /** Deletes what counting the warm-up's votes left in Redis and in the vote log. */
    public void forget(TallyStore tallies, VoteLog log) {
        tallies.forget(contest());
        log.forget(topic, contest());
    }
}
