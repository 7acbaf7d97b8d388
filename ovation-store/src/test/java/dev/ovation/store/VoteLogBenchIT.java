package dev.ovation.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.MongoClient;
import com.sun.management.OperatingSystemMXBean;
import dev.ovation.infra.EmbeddedMongo;
import dev.ovation.infra.LocalPorts;
import dev.ovation.model.Vote;
import dev.ovation.model.VoteEnvelope;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * Not a test: prints how the vote log's reads and the JVM's live heap behave as the log grows to
 * 1,000,000 entries in the embedded server's H2 file backend, so one can see that reading the
 * latest 20 costs the same at any size. Asserts nothing about time (timing goals live in
 * benchmarks); skipped unless asked for:
 *
 * <pre>{@code
 * ./mvnw -B -ntp -o verify -pl ovation-store -Dit.test=VoteLogBenchIT -Dovation.bench=true \
 *     -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false
 * cat ovation-store/target/failsafe-reports/dev.ovation.store.VoteLogBenchIT-output.txt
 * }</pre>
 *
 * {@code -Dovation.bench.entries=N} changes the size; {@code -DargLine=-Xmx1g} bounds the heap, as for
 * the standalone's 10,000,000-vote night ({@code -Dovation.bench.entries=10000000}, about 7 minutes).
 * "latest20 cpu" is the CPU time of the whole process per read, which other load on the machine
 * does not inflate the way it does the latencies. "server cpu" is the CPU time of the embedded
 * server's own threads (its connections' and its commit's) while appending, per entry appended.
 */
@Tag("bench")
@EnabledIfSystemProperty(named = "ovation.bench", matches = "true")
class VoteLogBenchIT {

    private static final String HOST = "127.0.0.1";
    private static final int PARTITIONS = 6;
    /** A counter batch of 2,000 votes (OVATION_COUNTER_BATCH's default when this was measured), over 6 partitions. */
    private static final int BATCH = 2_000;
    private static final String[] BANDS = {"Queen", "Pink Floyd", "Led Zeppelin", "The Beatles", "Radiohead"};

    @Test
    void printLatestLatencyAndLiveHeapAsTheLogGrows(@TempDir Path dir) throws IOException {
        int total = Integer.getInteger("ovation.bench.entries", 1_000_000);
        Path file = dir.resolve("ovation.mv");
        System.out.printf("vote log bench: %,d entries, %d partitions, batches of %,d, H2 file backend%n",
                total, PARTITIONS, BATCH);
        System.out.printf("%10s %10s %12s %12s %12s %12s %12s %12s %10s %8s%n", "entries", "append/s", "append cpu",
                "server cpu", "latest20 p50", "latest20 p99", "latest20 cpu", "page-back p99", "live heap", "file");
        try (EmbeddedMongo server = EmbeddedMongo.start(HOST, LocalPorts.pickFree(HOST), file);
             MongoClient client = StoreClients.mongo(server.uri())) {
            VoteLog log = new VoteLog(client.getDatabase("ovation"));
            Map<Integer, Long> at = new HashMap<>();
            for (int p = 0; p < PARTITIONS; p++) {
                at.put(p, 0L);
            }
            int written = 0;
            int nextReport = Math.min(total, 100_000);
            long appendNanos = 0;
            long appendCpu = 0;
            long serverCpu = 0;
            long countedAt = 1_700_000_000_000L;
            while (written < total) {
                int size = Math.min(BATCH, total - written);
                List<LogEntry> batch = new ArrayList<>(size);
                Map<Integer, Long> from = new HashMap<>(at);
                countedAt += 250;
                for (int i = 0; i < size; i++) {
                    int n = written + i;
                    int partition = n % PARTITIONS;
                    long offset = at.merge(partition, 1L, Long::sum) - 1;
                    batch.add(entry(n, n % 10 == 0 ? "finale" : "default", countedAt, partition, offset));
                }
                long serverBefore = serverCpuNanos();
                long start = System.nanoTime();
                long cpu = processCpuNanos();
                log.append("votes", batch, from, new HashMap<>(at));
                appendCpu += processCpuNanos() - cpu;
                appendNanos += System.nanoTime() - start;
                serverCpu += serverCpuNanos() - serverBefore;
                written += size;
                if (written >= nextReport) {
                    report(log, written, appendNanos, appendCpu, serverCpu, file);
                    nextReport = Math.min(total, nextReport * 2);
                    if (written == total) {
                        break;
                    }
                }
            }
            assertThat(log.count("default") + log.count("finale")).isEqualTo(total);
        }
    }

    private static void report(VoteLog log, int written, long appendNanos, long appendCpu, long serverCpu,
                               Path file) throws IOException {
        for (int i = 0; i < 200; i++) {
            // warm up: the first reads of a run mostly measure the JIT compiler
            log.latest("default", 20, null);
        }
        long[] latest = new long[1_000];
        long cpu = processCpuNanos();
        for (int i = 0; i < latest.length; i++) {
            long start = System.nanoTime();
            LogPage page = log.latest("default", 20, null);
            latest[i] = System.nanoTime() - start;
            assertThat(page.entries()).hasSize(20);
        }
        double latestCpu = (processCpuNanos() - cpu) / 1e6 / latest.length;
        long[] pageBack = new long[200];
        String cursor = null;
        for (int i = 0; i < pageBack.length; i++) {
            long start = System.nanoTime();
            LogPage page = log.latest("default", 20, cursor);
            pageBack[i] = System.nanoTime() - start;
            cursor = page.next();
        }
        System.gc();
        long liveHeap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        System.out.printf("%,10d %,10.0f %6.1f us/e %6.1f us/e %9.2f ms %9.2f ms %9.2f ms %10.2f ms %7d MB %5d MB%n",
                written, written / (appendNanos / 1e9), appendCpu / 1e3 / written, serverCpu / 1e3 / written,
                percentile(latest, 50),
                percentile(latest, 99), latestCpu, percentile(pageBack, 99), liveHeap >> 20,
                Files.size(file) >> 20);
    }

    /** CPU time of the whole process (client, server, GC): a cost that other load on the machine does not inflate. */
    private static long processCpuNanos() {
        return ((OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    /** CPU time of the embedded MongoDB-wire server's threads: its connections' workers and its commit. */
    private static long serverCpuNanos() {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long total = 0;
        for (ThreadInfo thread : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (thread != null && (thread.getThreadName().startsWith("mongo-server-worker")
                    || thread.getThreadName().equals("mongo-commit"))) {
                total += Math.max(0, threads.getThreadCpuTime(thread.getThreadId()));
            }
        }
        return total;
    }

    private static double percentile(long[] nanos, int percentile) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        return sorted[Math.min(sorted.length - 1, sorted.length * percentile / 100)] / 1e6;
    }

    private static LogEntry entry(int n, String contest, long countedAt, int partition, long offset) {
        String band = BANDS[n % BANDS.length];
        Vote vote = new Vote("vote-" + Integer.toString(n, 36) + "-x9", contest, band, band + " album " + n % 12,
                Integer.toString(1965 + n % 50), Integer.toString(1 + n % 3), "voter-" + n % 50_000);
        return LogEntry.of(new QueuedVote(new VoteEnvelope(vote, n % 2 == 0 ? "grpc" : "http", countedAt - 40, 3),
                partition, offset), new CountOutcome(true, true, countedAt));
    }
}
