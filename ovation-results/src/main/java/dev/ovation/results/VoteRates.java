package dev.ovation.results;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Votes counted per second in each contest over the last {@link #WINDOW}, from the totals sampled
 * about once a second ({@link ContestBoard}). Kept in memory: a results replica that starts shows
 * the pace from then on.
 */
final class VoteRates {

    /** How far back the rates go. */
    static final Duration WINDOW = Duration.ofMinutes(10);

    /**
     * The pace between two samples.
     *
     * @param at    when the later sample was taken
     * @param votes votes counted per second since the sample before
     */
    record RatePoint(Instant at, double votes) {
    }

    private final Map<String, Sample> last = new HashMap<>();
    private final Map<String, Deque<RatePoint>> points = new HashMap<>();

    private record Sample(Instant at, long total) {
    }

    /** Takes a contest's total as read at {@code at}. */
    synchronized void record(String contest, Instant at, long total) {
        Sample before = last.put(contest, new Sample(at, total));
        if (before == null || !at.isAfter(before.at)) {
            return;
        }
        double seconds = Duration.between(before.at, at).toNanos() / 1e9;
        // a total that went down (Redis emptied and recounted) shows as no votes, not negative ones
        double votes = Math.max(0, total - before.total) / seconds;
        Deque<RatePoint> series = points.computeIfAbsent(contest, c -> new ArrayDeque<>());
        series.addLast(new RatePoint(at, Math.round(votes * 10) / 10.0));
        Instant oldest = at.minus(WINDOW);
        while (!series.isEmpty() && series.peekFirst().at().isBefore(oldest)) {
            series.removeFirst();
        }
    }

    /** The contest's points taken after {@code after} (null: all of the window), oldest first. */
    synchronized List<RatePoint> since(String contest, Instant after) {
        List<RatePoint> result = new ArrayList<>();
        for (RatePoint p : points.getOrDefault(contest, new ArrayDeque<>())) {
            if (after == null || p.at().isAfter(after)) {
                result.add(p);
            }
        }
        return result;
    }
}
