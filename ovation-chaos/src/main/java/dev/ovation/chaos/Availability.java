package dev.ovation.chaos;

import dev.ovation.chaos.History.Attempt;
import dev.ovation.chaos.History.Outcome;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeMap;

/**
 * What a fault cost the voters, from the attempts' times: the share of attempts made during the fault
 * that got an answer, the longest time without any acknowledgement, and how long after the heal the
 * acknowledgement p99 and the freshness were back to their level before the fault.
 *
 * @param answeredDuringFault   attempts sent during the fault and answered (acknowledged or refused), share
 * @param attemptsDuringFault   attempts sent during the fault
 * @param longestGapMillis      the longest time without an acknowledgement, from the first to the last
 * @param longestGapAt          when that gap began (ms since the start)
 * @param p99BeforeMillis       acknowledgement p99 in the 5 s before the fault
 * @param p99BackAfterMillis    from the heal until 5 seconds in a row had a p99 within 2x (or +50 ms) of before; -1: never
 * @param freshnessBeforeMillis the largest freshness sample before the fault
 * @param loadAfterHeal         whether votes were sent after the heal (not so for a fault at the end)
 * @param freshnessBackAfterMillis from the heal until 3 samples in a row were under 1 s; -1: never
 * @param perSecond             acknowledgements, unknown outcomes and p99 of each second, for the chart
 */
record Availability(double answeredDuringFault, long attemptsDuringFault, long longestGapMillis, long longestGapAt,
                    long p99BeforeMillis, long p99BackAfterMillis, long freshnessBeforeMillis,
                    long freshnessBackAfterMillis, boolean loadAfterHeal, List<long[]> perSecond, List<FreshnessProbe.Sample> freshness) {

    static Availability of(List<Attempt> attempts, List<FreshnessProbe.Sample> freshness, long faultStart, long healAt) {
        long during = 0;
        long answered = 0;
        List<Long> acks = new ArrayList<>();
        TreeMap<Long, List<Long>> latencyBySecond = new TreeMap<>();
        TreeMap<Long, long[]> counts = new TreeMap<>();
        for (Attempt attempt : attempts) {
            if (attempt.sentAt() >= faultStart && attempt.sentAt() < healAt) {
                during++;
                if (attempt.outcome() != Outcome.UNKNOWN) {
                    answered++;
                }
            }
            long second = attempt.answeredAt() / 1000;
            long[] count = counts.computeIfAbsent(second, s -> new long[2]);
            if (attempt.outcome() == Outcome.ACKNOWLEDGED) {
                acks.add(attempt.answeredAt());
                count[0]++;
                latencyBySecond.computeIfAbsent(attempt.sentAt() / 1000, s -> new ArrayList<>())
                        .add(attempt.answeredAt() - attempt.sentAt());
            } else if (attempt.outcome() == Outcome.UNKNOWN) {
                count[1]++;
            }
        }
        acks.sort(Long::compare);
        long gap = 0;
        long gapAt = -1;
        for (int i = 1; i < acks.size(); i++) {
            if (acks.get(i) - acks.get(i - 1) > gap) {
                gap = acks.get(i) - acks.get(i - 1);
                gapAt = acks.get(i - 1);
            }
        }
        List<Long> before = new ArrayList<>();
        // the last 5 s before the fault: the first seconds of a run also measure the client's own start
        latencyBySecond.subMap(faultStart / 1000 - 5, faultStart / 1000).values().forEach(before::addAll);
        long p99Before = p99(before);
        long limit = Math.max(2 * p99Before, p99Before + 50);
        long back = -1;
        int inRow = 0;
        for (var second : latencyBySecond.tailMap(healAt / 1000).entrySet()) {
            if (p99(second.getValue()) <= limit) {
                if (++inRow == 1) {
                    back = Math.max(0, second.getKey() * 1000 - healAt);
                }
                if (inRow == 5) {
                    break;
                }
            } else {
                inRow = 0;
                back = -1;
            }
        }
        if (inRow < 5) {
            back = -1;
        }
        long freshBefore = freshness.stream()
                .filter(s -> s.freshness() >= 0 && s.acknowledgedAt() + s.freshness() < faultStart)
                .mapToLong(FreshnessProbe.Sample::freshness).max().orElse(-1);
        long freshBack = -1;
        inRow = 0;
        for (FreshnessProbe.Sample sample : freshness) {
            if (sample.acknowledgedAt() < healAt) {
                continue;
            }
            if (sample.freshness() >= 0 && sample.freshness() < 1000) {
                if (++inRow == 1) {
                    freshBack = Math.max(0, sample.acknowledgedAt() - healAt);
                }
                if (inRow == 3) {
                    break;
                }
            } else {
                inRow = 0;
            }
        }
        if (inRow < 3) {
            freshBack = -1;
        }
        List<long[]> perSecond = new ArrayList<>();
        counts.forEach((second, count) -> perSecond.add(new long[] {second, count[0], count[1],
                p99(latencyBySecond.getOrDefault(second, List.of()))}));
        return new Availability(during == 0 ? 1.0 : (double) answered / during, during, gap, gapAt, p99Before, back,
                freshBefore, freshBack, !latencyBySecond.tailMap(healAt / 1000 + 1).isEmpty(), perSecond, freshness);
    }

    static long p99(List<Long> values) {
        if (values.isEmpty()) {
            return 0;
        }
        long[] sorted = values.stream().mapToLong(Long::longValue).toArray();
        Arrays.sort(sorted);
        return sorted[(int) Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.99) - 1)];
    }
}
