package dev.ovation.launcher;

import dev.ovation.counter.CounterConfig;
import dev.ovation.counter.Recount;
import dev.ovation.counter.RecountLine;
import dev.ovation.counter.RecountReport;
import dev.ovation.model.Env;
import dev.ovation.model.ExitCodes;
import dev.ovation.model.Redacted;
import dev.ovation.model.UnreachableException;
import dev.ovation.store.KafkaTopics;
import dev.ovation.store.RedisLink;
import dev.ovation.store.contest.ContestStore;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.SortedMap;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.TimeoutException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ovation recount --contest X [--repair]}: rebuilds a contest's tallies from the votes
 * topic, compares them with Redis shard by shard, prints the lines that differ (summed over the
 * shards) and exits 1 when any does; with {@code --repair}, rewrites the shards that differ from
 * the record and exits 0. Seen ids or voters that expired from Redis after the retention are
 * noted, not counted as a difference.
 */
@Command(name = "recount", mixinStandardHelpOptions = true,
        description = {"Recounts a contest from the durable record (the Kafka topic) up to where the counters"
                + " are, compares it with the tallies in Redis and prints every line that differs: total,"
                + " duplicates, each band and album, each rejection reason, ids seen, voters.",
                "Run it before announcing a winner."},
        footer = {"", "Exit codes:",
                "  0  the tallies agree (or were repaired)",
                "  1  they differ",
                "  2  a usage error, or an unknown contest",
                "  3  Kafka or Redis cannot be reached: an outage is never taken for a wrong count",
                "", "Environment:",
                "  OVATION_KAFKA            Kafka bootstrap servers (default 127.0.0.1:19092)",
                "  OVATION_REDIS            Redis URI, or comma-separated Redis Cluster seeds"
                        + " (default redis://127.0.0.1:16379)",
                "  OVATION_TOPIC            votes topic (default votes)",
                "  OVATION_DEDUP_RETENTION_HOURS  how long the counters keep seen ids and voters"
                        + " (default 24, 0: forever); a repair keeps the same",
                "  " + LogFormat.ENV + "       " + LogFormat.HELP})
final class RecountCommand implements Callable<Integer> {

    /** How long Kafka may give nothing before the recount fails. */
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(30);
    /** A repair renames a shard's hashes over the live ones, deleting the old: big ones take a while. */
    private static final Duration REDIS_TIMEOUT = Duration.ofSeconds(60);
    private static final long PROGRESS_EVERY_NANOS = Duration.ofSeconds(2).toNanos();

    @Spec
    CommandSpec spec;

    @Option(names = "--contest", required = true, paramLabel = "ID", description = "the contest to recount")
    String contest;

    @Option(names = "--repair",
            description = "rewrite the contest's tallies, seen ids and voters in Redis from the record when they"
                    + " differ, in each shard that differs; refused in a shard where the counters count meanwhile"
                    + " (stop them first)")
    boolean repair;

    @Override
    public Integer call() throws InterruptedException {
        CounterConfig config = CounterConfig.from(Env.system());
        String kafka = config.stores().kafkaBootstrap();
        String topic = config.stores().votesTopic().name();
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        KafkaCheck.requireListening(kafka);
        if (!contestExists(kafka)) {
            // a typo must not pass for a clean count
            err.printf("ovation recount: there is no contest '%s'%n", contest);
            return ExitCodes.USAGE;
        }

        err.printf("recounting contest %s from topic '%s' at %s against Redis %s%n", contest, topic, kafka,
                Redacted.uri(config.stores().redisUri()));
        try (RedisLink redis = RedisLink.open(config.stores().redisUri(), REDIS_TIMEOUT);
             KafkaConsumer<String, byte[]> consumer = Recount.consumer(kafka)) {
            Recount recount = new Recount(redis, consumer, topic, config.dedupRetention(), READ_TIMEOUT,
                    new ProgressLines(err));
            RecountReport report;
            try {
                report = recount.run(contest);
            } catch (TimeoutException e) {
                throw new UnreachableException("Kafka at " + kafka + " did not answer within " + READ_TIMEOUT.toSeconds()
                        + " s (" + e.getMessage() + "); check OVATION_KAFKA", e);
            }
            List<RecountLine> differences = report.differences();
            if (differences.isEmpty()) {
                out.printf("no differences: %d votes counted, as the record says%n", report.total());
                printExpirations(out, report, config.dedupRetention());
                return ExitCodes.OK;
            }
            printTable(out, differences);
            printShards(out, differences);
            out.printf("%d %s%n", differences.size(), differences.size() == 1 ? "line differs" : "lines differ");
            printExpirations(out, report, config.dedupRetention());
            if (!repair) {
                return ExitCodes.FAILED;
            }
            recount.repair(report);
            out.printf("repaired: Redis now holds the record's tallies for contest %s (%d votes counted)%n", contest,
                    report.total());
            return ExitCodes.OK;
        }
    }

    private boolean contestExists(String kafka) throws InterruptedException {
        try (ContestStore contests = ContestStore.open(kafka, ContestStore.DEFAULT_TOPIC, KafkaTopics.CLUSTER_DEFAULT)) {
            return contests.find(contest).isPresent();
        } catch (IllegalStateException e) {
            throw new UnreachableException("Kafka at " + kafka + " is unreachable (" + e.getMessage()
                    + "); check OVATION_KAFKA", e);
        }
    }

    /** line | in the record | in Redis | difference (Redis minus record). */
    private static void printTable(PrintWriter out, List<RecountLine> lines) {
        String[] header = {"line", "in the record", "in Redis", "difference"};
        int labelWidth = header[0].length();
        for (RecountLine line : lines) {
            labelWidth = Math.max(labelWidth, line.label().length());
        }
        String format = "%-" + labelWidth + "s | %13s | %13s | %10s%n";
        out.printf(format, (Object[]) header);
        out.println("-".repeat(labelWidth) + "-+-" + "-".repeat(13) + "-+-" + "-".repeat(13) + "-+-" + "-".repeat(10));
        for (RecountLine line : lines) {
            out.printf(format, line.label(), line.inRecord(), line.inRedis(), String.format("%+d", line.difference()));
        }
    }

    /**
     * Where the sums hide how the shards differ (they cancel out, or an expired shard is in the
     * sum), the difference of each shard.
     */
    private static void printShards(PrintWriter out, List<RecountLine> lines) {
        for (RecountLine line : lines) {
            SortedMap<Integer, Long> shards = line.shardDifferences();
            long sum = shards.values().stream().mapToLong(Long::longValue).sum();
            if (shards.size() > 1 || sum != line.difference()) {
                out.printf("%s differs by shard: %s%n", line.label(), shards.entrySet().stream()
                        .map(e -> String.format("%+d in shard %d", e.getValue(), e.getKey()))
                        .collect(Collectors.joining(", ")));
            }
        }
    }

    /** The shards whose seen ids or voters expired: said, since they are not a wrong count. */
    private static void printExpirations(PrintWriter out, RecountReport report, Duration retention) {
        for (RecountLine line : report.expirations()) {
            long entries = line.expired().values().stream().mapToLong(Long::longValue).sum();
            out.printf("%s: Redis no longer holds those of shard%s %s (%d in the record): they expired %d h after"
                            + " the shard's last vote, which is no wrong count%n", line.label(),
                    line.expired().size() == 1 ? "" : "s",
                    line.expired().keySet().stream().map(String::valueOf).collect(Collectors.joining(", ")),
                    entries, retention.toHours());
        }
    }

    /** Records read per partition, to stderr: every few seconds, and when a partition is read. */
    private static final class ProgressLines implements Recount.Progress {

        private final PrintWriter err;
        private long lastNanos = System.nanoTime();

        ProgressLines(PrintWriter err) {
            this.err = err;
        }

        @Override
        public void partitionRead(int partition, long read, long upTo, boolean done) {
            long now = System.nanoTime();
            if (done || now - lastNanos >= PROGRESS_EVERY_NANOS) {
                lastNanos = now;
                err.printf("partition %d: %d records read%s%n", partition, read,
                        done ? " (all below offset " + upTo + ")" : ", up to offset " + upTo);
            }
        }
    }
}
