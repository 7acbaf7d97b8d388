package dev.ovation.results;

import dev.ovation.model.contest.Contest;
import dev.ovation.model.contest.ContestDirectory;
import dev.ovation.store.LogFilter;
import dev.ovation.store.VoteLog;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.time.Clock;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The vote log as CSV downloads ({@link CsvExport#log}), written on a few threads of their own,
 * never on the threads that serve the other requests, and at the lowest priority the system gives
 * ({@link LowPriority}): where the results run in one process with the ingest and the counter
 * ({@code standalone}), an export takes the CPU that votes leave. As many run at once as there are
 * threads ({@code OVATION_EXPORTS_MAX}; {@link ReadLimit} refuses the others), each at most
 * {@code OVATION_EXPORT_MB_PER_SECOND} ({@link PacedOutputStream}).
 *
 * <p>The export of a closed contest is written once into the {@link ExportCache} and sent from
 * there for as long as the contest and its log stay the same; an open contest's is written straight
 * to the client, as of its first page.
 */
final class LogExports implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LogExports.class);

    /** Where an export goes: the HTTP answer, whose headers are set when the body starts. */
    interface Answer {

        /** Whether the client takes {@code Content-Encoding: gzip}. */
        boolean acceptsGzip();

        /**
         * Starts the body.
         *
         * @param gzipBytes the length of a gzip body sent as it is, or -1 for a CSV body written
         *                  as it comes (compressed or not as the server sees fit)
         */
        OutputStream start(long gzipBytes) throws IOException;
    }

    private final ContestDirectory contests;
    private final VoteLog log;
    private final Clock clock;
    private final ExportCache cache;
    private final ExecutorService threads;
    private final long bytesPerSecond;
    private final Counter cacheHits;
    private final Counter cacheMisses;

    /**
     * @param cache where closed contests' exports are kept (null: none; every export is written anew)
     * @param reads how many exports are written at once ({@code exports().inAll()}), and at what pace
     */
    LogExports(ContestDirectory contests, VoteLog log, Clock clock, ExportCache cache, ResultsConfig.Reads reads,
               MeterRegistry registry) {
        this.contests = contests;
        this.log = log;
        this.clock = clock;
        this.cache = cache;
        this.threads = Executors.newFixedThreadPool(reads.exports().inAll(), lowPriorityThreads());
        this.bytesPerSecond = reads.exportBytesPerSecond();
        cacheHits = cacheRequests(registry, "hit");
        cacheMisses = cacheRequests(registry, "written");
    }

    private static Counter cacheRequests(MeterRegistry registry, String outcome) {
        return Counter.builder("ovation.export.cache.requests").tag("outcome", outcome)
                .description("Exports of closed contests: sent from a file written before (hit), or written now")
                .register(registry);
    }

    private static ThreadFactory lowPriorityThreads() {
        AtomicInteger made = new AtomicInteger();
        return task -> {
            Thread thread = new Thread(() -> {
                String why = LowPriority.lowerCallingThread();
                if (why != null) {
                    LOG.warn("{} runs exports at the JVM's normal priority: {}", Thread.currentThread().getName(), why);
                }
                task.run();
            }, "ovation-export-" + made.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    /** The threads exports are written on. */
    ExecutorService threads() {
        return threads;
    }

    /**
     * Sends the export of {@code filter}: from the cache when {@code contest} is closed and the
     * cache is on, else written as it is read. Call it on {@link #threads()}.
     */
    void send(Contest contest, LogFilter filter, Answer answer) throws IOException {
        if (cache == null || !"closed".equals(contest.statusAt(clock.instant()))) {
            try (OutputStream out = paced(answer.start(-1))) {
                CsvExport.log(log, filter, out);
            }
            return;
        }
        ExportCache.Version version = versionOf(contest);
        try (ExportCache.Lease file = cache.export(filter, version, () -> versionOf(contest),
                out -> CsvExport.log(log, filter, out))) {
            (file.hit() ? cacheHits : cacheMisses).increment();
            if (answer.acceptsGzip()) {
                try (OutputStream out = paced(answer.start(file.size()))) {
                    Files.copy(file.file(), out);
                }
            } else {
                try (InputStream in = new GZIPInputStream(Files.newInputStream(file.file()), 64 * 1024);
                     OutputStream out = paced(answer.start(-1))) {
                    in.transferTo(out);
                }
            }
        }
    }

    /** The answer's body at the exports' pace: bytes of CSV, or of the gzip file when it goes as it is. */
    private OutputStream paced(OutputStream body) {
        return bytesPerSecond == 0 ? body : new PacedOutputStream(body, bytesPerSecond);
    }

    /** The contest as defined now (as given, should it be gone), and how many entries its log holds. */
    private ExportCache.Version versionOf(Contest contest) {
        return new ExportCache.Version(contests.find(contest.id()).orElse(contest), log.count(contest.id()));
    }

    @Override
    public void close() {
        threads.shutdownNow();
        try {
            threads.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (cache != null) {
            cache.close();
        }
    }
}
