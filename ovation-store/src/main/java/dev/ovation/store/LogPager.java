package dev.ovation.store;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import dev.ovation.store.LogCursor.Position;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.bson.Document;

/**
 * Reads one page of a contest's log, newest first: a k-way merge of the contest's chains of
 * buckets, one chain per topic partition, by counted-at time (newest first), then topic and
 * partition, then offset (highest first). Buckets are read by {@code _id} only, all the chains
 * that need one in the same {@code $in}, each read whole (at most 500 packed entries), so the cost
 * of a page depends on its size and the buckets' (bounded), not the log's.
 */
final class LogPager {

    private static final Comparator<Chain> NEWEST_FIRST = Comparator
            .comparing((Chain c) -> c.bucket.countedAtOf(c.candidate)).reversed()
            .thenComparing(c -> c.topic)
            .thenComparingInt(c -> c.partition)
            .thenComparing(Comparator.comparingLong((Chain c) -> c.bucket.offsetAt(c.candidate)).reversed());

    private final MongoCollection<Document> buckets;

    LogPager(MongoCollection<Document> buckets) {
        this.buckets = buckets;
    }

    /**
     * Up to {@code limit} entries that {@code filter} takes from {@code start} on, reading at most
     * {@code maxBuckets} buckets: a page of a narrow filter may stop short of {@code limit} with a
     * cursor to go on from.
     *
     * @param start      per partition, where to go on (the heads, or a cursor's positions)
     * @param cursor     the cursor {@code start} was read from, or null when it is the heads
     * @throws IllegalArgumentException when a cursor names a bucket the log does not hold
     */
    LogPage page(LogFilter filter, List<Position> start, int limit, String cursor, int maxBuckets) {
        String contest = filter.contest();
        List<Chain> chains = new ArrayList<>(start.size());
        for (Position p : start) {
            chains.add(new Chain(p.topic(), p.partition(), p.first(), p.remaining()));
        }
        List<LogEntry> entries = new ArrayList<>(Math.min(limit, 1_000));
        boolean firstLoad = true;
        int read = 0;
        while (entries.size() < limit) {
            if (read >= maxBuckets && chains.stream().anyMatch(c -> c.bucket == null && !c.done)) {
                break;
            }
            read += load(chains, firstLoad ? cursor : null);
            firstLoad = false;
            boolean moved = false;
            for (Chain c : chains) {
                if (c.bucket != null && c.candidate < 0 && !c.done) {
                    moved |= !c.settle(filter);
                }
            }
            if (moved) {
                continue;
            }
            Chain newest = chains.stream().filter(c -> c.candidate >= 0).min(NEWEST_FIRST).orElse(null);
            if (newest == null) {
                break;
            }
            entries.add(newest.bucket.entry(newest.candidate));
            newest.remaining = newest.candidate;
            newest.candidate = -1;
        }
        List<Position> next = new ArrayList<>();
        for (Chain c : chains) {
            if (c.bucket != null && c.candidate < 0 && !c.done) {
                c.settle(filter);
            }
            if (!c.done) {
                next.add(new Position(c.topic, c.partition, c.first,
                        c.candidate >= 0 ? c.candidate + 1 : c.remaining));
            }
        }
        return new LogPage(entries, next.isEmpty() ? null : new LogCursor(next).encode());
    }

    /**
     * Reads the bucket each chain goes on with, where it has none, all in one {@code $in}. A bucket
     * is read whole: its entries are one packed value (see {@link LogBucket}), at most 500.
     *
     * @return how many buckets were read
     */
    private int load(List<Chain> chains, String cursor) {
        Map<String, Chain> wanted = new HashMap<>();
        for (Chain c : chains) {
            if (c.bucket == null && !c.done) {
                wanted.put(LogBucket.id(c.topic, c.partition, c.first), c);
            }
        }
        if (wanted.isEmpty()) {
            return 0;
        }
        int read = wanted.size();
        for (Document d : buckets.find(Filters.in(LogBucket.ID, wanted.keySet()))) {
            wanted.remove(d.getString(LogBucket.ID)).bucket = LogBucket.fromDocument(d);
        }
        List<String> missing = new ArrayList<>(wanted.keySet());
        if (!missing.isEmpty()) {
            if (cursor != null) {
                throw LogCursor.notHandedOut(cursor, null);
            }
            throw new IllegalStateException("the vote log is missing buckets " + missing);
        }
        return read;
    }

    /** One partition's chain of a contest's buckets, as far as the page has read it. */
    private static final class Chain {
        final String topic;
        final int partition;
        long first;
        /** Entries {@code [0, remaining)} of the bucket are not read yet. */
        int remaining;
        LogBucket bucket;
        /** The index of the chain's newest entry not read yet, once found; -1 before. */
        int candidate = -1;
        boolean done;

        Chain(String topic, int partition, long first, int remaining) {
            this.topic = topic;
            this.partition = partition;
            this.first = first;
            this.remaining = remaining;
        }

        /**
         * Finds the newest entry the filter takes left in the bucket read; without one, moves to
         * the previous bucket holding the contest (not read yet), or ends the chain.
         *
         * @return false when it moved to entries that must be read first
         */
        boolean settle(LogFilter filter) {
            String contest = filter.contest();
            for (int i = Math.min(remaining, bucket.end()) - 1; i >= 0; i--) {
                if (contest.equals(bucket.contestAt(i)) && filter.matches(bucket.entry(i))) {
                    candidate = i;
                    return true;
                }
            }
            Long prev = bucket.prev().get(contest);
            if (prev == null) {
                done = true;
                return true;
            }
            first = prev;
            remaining = LogCursor.WHOLE_BUCKET;
            bucket = null;
            return false;
        }
    }
}
