package dev.ovation.store;

import dev.ovation.model.contest.Contest;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

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
        try {
            if (admin.listTopics().names().get(timeoutMillis, TimeUnit.MILLISECONDS).contains(topic)) {
                return;
            }
            admin.createTopics(List.of(new NewTopic(topic, partitions, replicationFactor).configs(Map.of(
                    "retention.ms", String.valueOf(RETENTION_MS), "segment.ms", String.valueOf(RETENTION_MS),
                    "min.insync.replicas", String.valueOf(Math.max(1, replicationFactor - 1))))))
                    .all().get(timeoutMillis, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException("could not create Kafka topic '" + topic + "': "
                        + e.getCause().getMessage(), e.getCause());
            }
        } catch (TimeoutException e) {
            throw new IllegalStateException("Kafka did not answer within " + timeoutMillis
                    + " ms while creating topic '" + topic + "'", e);
        }
    }

    /** Deletes what counting the warm-up's votes left in Redis and in the vote log. */
    public void forget(TallyStore tallies, VoteLog log) {
        tallies.forget(contest());
        log.forget(topic, contest());
    }
}
