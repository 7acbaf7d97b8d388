package dev.ovation.results;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import dev.ovation.model.contest.Contest;
import dev.ovation.model.contest.ContestDirectory;
import dev.ovation.store.ContestTally;
import dev.ovation.store.DeadLetterTopic;
import dev.ovation.store.LogEntry;
import dev.ovation.store.TallyStore;
import dev.ovation.store.VoteLog;
import dev.ovation.web.Json;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the live page is pushed: one thread reads each watched contest every {@value #TICK_MILLIS}
 * ms (its tallies, and its latest log entries when the log grew) and sends every viewer of it the
 * same {@link LiveUpdate}, only when something changed. The stores are read once per contest per
 * tick however many viewers watch it, and a viewer gets at most four updates a second however fast
 * votes arrive; a viewer that cannot keep up is dropped by its own connection ({@link LiveStream}),
 * never waited for.
 *
 * <p>A viewer joining gets a whole update first ({@code first: true}): the results, the latest
 * {@value #FIRST_ENTRIES} log entries and the rates of the last ten minutes, a point a second; then
 * only what is new, the rate only where it changes ({@link RateChanges}): a contest where nothing
 * happens is sent a keep-alive comment every {@value #HEARTBEAT_MILLIS} ms and nothing else.
 */
final class LiveFeed implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LiveFeed.class);
    static final long TICK_MILLIS = 250;
    static final int FIRST_ENTRIES = 50;
    /** A comment line sent to a quiet stream so that proxies and the server's idle timeout keep it open. */
    static final long HEARTBEAT_MILLIS = 10_000;
    private static final byte[] HEARTBEAT = ": keep-alive\n\n".getBytes(StandardCharsets.US_ASCII);

    /** One open page: where its updates go. */
    interface Viewer {

        /** Sends one server-sent event's bytes, without blocking. */
        void send(byte[] event);

        /** True once the viewer is gone; it is then forgotten at the next tick. */
        boolean closed();

        /** Ends the stream (the server is stopping). */
        void end();
    }

    /**
     * The data of one {@code update} event.
     *
     * @param first   true for the whole picture a viewer starts from
     * @param results present when changed (always on the first)
     * @param entries log entries new since the previous update, newest first
     * @param rate    votes per second: on the first, a point a second; after, the points where it changed
     *                since the previous update, each after the last point of the rate before ({@link RateChanges}),
     *                oldest first
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record LiveUpdate(boolean first, ContestResults results, List<LoggedVote> entries, List<VoteRates.RatePoint> rate) {
    }

    private final ContestDirectory contests;
    private final TallyStore tallies;
    private final VoteLog log;
    private final VoteRates rates;
    private final DeadLetterTopic.Reader deadLetters;
    private final Clock clock;
    private final Queue<Join> joins = new ConcurrentLinkedQueue<>();
    private final Map<String, Watch> watches = new HashMap<>();
    private final AtomicInteger viewers = new AtomicInteger();
    private final Counter updatesSent;
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "ovation-live-feed");
        thread.setDaemon(true);
        return thread;
    });
    private boolean failing;

    private record Join(String contest, Viewer viewer) {
    }

    /** One watched contest: its viewers and what they were last sent. */
    private static final class Watch {
        final List<Viewer> viewers = new ArrayList<>();
        final List<Viewer> joined = new ArrayList<>();
        ContestResults results;
        long logEntries = -1;
        List<LoggedVote> latest = List.of();
        Instant rateAt;
        final RateChanges rateChanges = new RateChanges();
        long lastSentNanos = System.nanoTime();
    }

    /** @param deadLetters the records the counters set aside (null: none followed) */
    LiveFeed(ContestDirectory contests, TallyStore tallies, VoteLog log, VoteRates rates,
             DeadLetterTopic.Reader deadLetters, Clock clock, MeterRegistry registry) {
        this.contests = contests;
        this.tallies = tallies;
        this.log = log;
        this.rates = rates;
        this.deadLetters = deadLetters;
        this.clock = clock;
        Gauge.builder("ovation.live.viewers", viewers, AtomicInteger::get)
                .description("Live pages open: server-sent event streams of a contest's results").register(registry);
        updatesSent = Counter.builder("ovation.live.updates")
                .description("Updates sent to live pages (one per page per change)").register(registry);
    }

    LiveFeed start() {
        ticker.scheduleWithFixedDelay(this::tickQuietly, 0, TICK_MILLIS, TimeUnit.MILLISECONDS);
        return this;
    }

    /** Starts sending {@code contest}'s updates to {@code viewer}, from the next tick on. */
    void watch(String contest, Viewer viewer) {
        viewers.incrementAndGet();
        joins.add(new Join(contest, viewer));
    }

    private void tickQuietly() {
        try {
            tick();
            if (failing) {
                LOG.info("the live feed reads the stores again");
                failing = false;
            }
        } catch (RuntimeException e) {
            if (!failing) {
                LOG.warn("the live feed could not read the stores (retrying every {} ms): {}", TICK_MILLIS,
                        e.toString());
                failing = true;
            }
        }
    }

    /** Takes in new viewers, forgets gone ones, and sends each watched contest's changes. */
    void tick() {
        for (Join join = joins.poll(); join != null; join = joins.poll()) {
            Watch watch = watches.computeIfAbsent(join.contest(), c -> new Watch());
            watch.viewers.add(join.viewer());
            watch.joined.add(join.viewer());
        }
        for (Iterator<Map.Entry<String, Watch>> it = watches.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, Watch> entry = it.next();
            Watch watch = entry.getValue();
            watch.viewers.removeIf(this::gone);
            watch.joined.removeIf(Viewer::closed);
            if (watch.viewers.isEmpty()) {
                it.remove();
                continue;
            }
            Contest contest = contests.find(entry.getKey()).orElse(null);
            if (contest != null) {
                send(contest, watch);
            }
        }
    }

    private boolean gone(Viewer viewer) {
        if (viewer.closed()) {
            viewers.decrementAndGet();
            return true;
        }
        return false;
    }

    private void send(Contest contest, Watch watch) {
        Instant now = clock.instant();
        ContestTally tally = tallies.read(contest.id());
        ContestResults results = ContestResults.of(contest, tally,
                deadLetters == null ? 0 : deadLetters.count(contest.id()), now);
        boolean resultsChanged = !results.sameAs(watch.results);

        List<LoggedVote> fresh = List.of();
        long logEntries = log.count(contest.id());
        if (logEntries != watch.logEntries) {
            List<LoggedVote> latest = new ArrayList<>(FIRST_ENTRIES);
            for (LogEntry e : log.latest(contest.id(), FIRST_ENTRIES, null).entries()) {
                latest.add(LoggedVote.of(e));
            }
            Set<String> known = new HashSet<>();
            watch.latest.forEach(v -> known.add(v.position()));
            fresh = latest.stream().filter(v -> !known.contains(v.position())).toList();
            watch.latest = latest;
            watch.logEntries = logEntries;
        }
        List<VoteRates.RatePoint> rate = rates.since(contest.id(), watch.rateAt);
        List<VoteRates.RatePoint> rateChanged = watch.rateChanges.toSend(rate);

        if (!watch.joined.isEmpty()) {
            byte[] whole = event(new LiveUpdate(true, results, watch.latest, rates.since(contest.id(), null)));
            watch.joined.forEach(v -> v.send(whole));
            updatesSent.increment(watch.joined.size());
        }
        List<Viewer> others = watch.viewers.stream().filter(v -> !watch.joined.contains(v)).toList();
        watch.joined.clear();
        boolean changed = resultsChanged || !fresh.isEmpty() || !rateChanged.isEmpty();
        if (changed && !others.isEmpty()) {
            byte[] update = event(new LiveUpdate(false, resultsChanged ? results : null, fresh, rateChanged));
            others.forEach(v -> v.send(update));
            updatesSent.increment(others.size());
            watch.lastSentNanos = System.nanoTime();
        } else if (System.nanoTime() - watch.lastSentNanos > TimeUnit.MILLISECONDS.toNanos(HEARTBEAT_MILLIS)) {
            others.forEach(v -> v.send(HEARTBEAT));
            watch.lastSentNanos = System.nanoTime();
        }
        watch.results = results;
        if (!rate.isEmpty()) {
            watch.rateAt = rate.get(rate.size() - 1).at();
        }
    }

    /** One {@code update} event: its name, then its JSON on one {@code data:} line. */
    static byte[] event(LiveUpdate update) {
        try {
            byte[] json = Json.MAPPER.writeValueAsBytes(update);
            byte[] head = "event: update\ndata: ".getBytes(StandardCharsets.US_ASCII);
            byte[] bytes = new byte[head.length + json.length + 2];
            System.arraycopy(head, 0, bytes, 0, head.length);
            System.arraycopy(json, 0, bytes, head.length, json.length);
            bytes[bytes.length - 2] = '\n';
            bytes[bytes.length - 1] = '\n';
            return bytes;
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Stops the ticks and ends every stream. */
    @Override
    public void close() {
        ticker.shutdownNow();
        try {
            ticker.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        watches.values().forEach(w -> w.viewers.forEach(Viewer::end));
        for (Join join = joins.poll(); join != null; join = joins.poll()) {
            join.viewer().end();
        }
        watches.clear();
    }
}
