package dev.ovation.results;

import dev.ovation.model.contest.Contest;
import dev.ovation.model.contest.ContestDirectory;
import dev.ovation.store.ContestTally;
import dev.ovation.store.TallyStore;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every contest's tallies for dashboards, refreshed once a second: as gauges
 * ({@code ovation_contest_votes}, {@code ovation_contest_band_votes},
 * {@code ovation_contest_rejected_votes}) so a Prometheus-only dashboard can chart them, and as the
 * dashboard hashes in Redis (written only when the tallies changed) that Grafana's Redis panels read,
 * and as the totals behind the live page's votes per second ({@link VoteRates}).
 */
final class ContestBoard implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ContestBoard.class);
    static final long REFRESH_MILLIS = 1_000;

    private final ContestDirectory contests;
    private final TallyStore tallies;
    private final VoteRates rates;
    private final Clock clock;
    private final MultiGauge votes;
    private final MultiGauge bandVotes;
    private final MultiGauge rejectedVotes;
    private final Map<String, ContestTally> published = new HashMap<>();
    private final ScheduledExecutorService refresher = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "ovation-contest-board");
        thread.setDaemon(true);
        return thread;
    });
    private boolean failing;

    /** @param rates where each contest's total is recorded at every refresh, for the pace of the night */
    ContestBoard(ContestDirectory contests, TallyStore tallies, VoteRates rates, Clock clock,
                 MeterRegistry registry) {
        this.contests = contests;
        this.tallies = tallies;
        this.rates = rates;
        this.clock = clock;
        votes = MultiGauge.builder("ovation.contest.votes")
                .description("Votes counted in a contest").register(registry);
        bandVotes = MultiGauge.builder("ovation.contest.band.votes")
                .description("Votes counted for a band in a contest").register(registry);
        rejectedVotes = MultiGauge.builder("ovation.contest.rejected.votes")
                .description("Votes the counter rejected in a contest, by reason").register(registry);
    }

    /** Refreshes now, then once a second until closed. */
    ContestBoard start() {
        refresher.scheduleWithFixedDelay(this::refreshQuietly, 0, REFRESH_MILLIS, TimeUnit.MILLISECONDS);
        return this;
    }

    private void refreshQuietly() {
        try {
            refresh();
            if (failing) {
                LOG.info("the contest board is refreshed again");
                failing = false;
            }
        } catch (RuntimeException e) {
            if (!failing) {
                LOG.warn("could not refresh the contest board (retrying every {} ms): {}", REFRESH_MILLIS, e.toString());
                failing = true;
            }
        }
    }

    /** Reads every contest's tallies, writes those that changed to Redis and shows them all as gauges. */
    void refresh() {
        List<MultiGauge.Row<?>> totals = new ArrayList<>();
        List<MultiGauge.Row<?>> bands = new ArrayList<>();
        List<MultiGauge.Row<?>> rejected = new ArrayList<>();
        for (Contest contest : contests.all()) {
            ContestTally tally = tallies.read(contest.id());
            rates.record(contest.id(), clock.instant(), tally.total());
            if (!tally.equals(published.get(contest.id()))) {
                tallies.publishBoard(tally);
                published.put(contest.id(), tally);
            }
            totals.add(MultiGauge.Row.of(Tags.of("contest", contest.id()), tally.total()));
            for (ContestTally.BandTally band : tally.bands()) {
                bands.add(MultiGauge.Row.of(Tags.of("contest", contest.id(), "band", band.band()), band.votes()));
            }
            tally.rejected().forEach((reason, count) ->
                    rejected.add(MultiGauge.Row.of(Tags.of("contest", contest.id(), "reason", reason), count)));
        }
        votes.register(totals, true);
        bandVotes.register(bands, true);
        rejectedVotes.register(rejected, true);
    }

    @Override
    public void close() {
        refresher.shutdownNow();
        try {
            refresher.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
