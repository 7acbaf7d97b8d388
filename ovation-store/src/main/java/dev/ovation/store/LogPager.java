package dev.ovation.store;

import com.mongodb.client.FindIterable;
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
 * that need one in the same {@code $in}. A page of a contest's votes reads only a window of each
 * bucket's entries ({@code $slice}), so its cost depends on its size, not the log's nor the
 * buckets'; a page of a narrowing filter reads its buckets whole, and at most a given number of them.
 */
final class LogPager {

    private static final Comparator<Chain> NEWEST_FIRST = Comparator
            .comparing((Chain c) -> c.bucket.countedAtOf(c.candidate)).reversed()
            .thenComparing(c -> c.topic)
            .thenComparingInt(c -> c.partition)
            .thenComparing(Comparator.comparingLong((Chain c) -> c.bucket.offsetAt(c.candidate)).reversed());

    /** The fewest entries read from a bucket at once. */
    private static final int MIN_WINDOW = 32;

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
        // a filter may pass over most entries, so its buckets are read whole; otherwise enough for a
        // page when the contest's votes are spread evenly over the partitions, twice over
        int window = filter.narrows() ? LogCursor.WHOLE_BUCKET
                : Math.max(MIN_WINDOW, 2 * (limit / Math.max(1, chains.size()) + 1));
        boolean firstLoad = true;
        int read = 0;
        while (entries.size() < limit) {
            if (read >= maxBuckets && chains.stream().anyMatch(c -> c.bucket == null && !c.done)) {
                break;
            }
            read += load(chains, window, firstLoad ? cursor : null);
            firstLoad = false;
            boolean moved = false;
            boolean within = false;
            for (Chain c : chains) {
                if (c.bucket != null && c.candidate < 0 && !c.done && !c.settle(filter)) {
                    moved = true;
                    within |= c.remaining != LogCursor.WHOLE_BUCKET;
                }
            }
            if (within && window < LogBucket.MAX_ENTRIES) {
                // the contest is sparse in these buckets: read more of each at once
                window = Math.min(2 * window, LogBucket.MAX_ENTRIES);
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
     * Reads the window of entries each chain goes on with, where it has none: the last
     * {@code window} entries before where it stands (all of them for {@link LogCursor#WHOLE_BUCKET}),
     * in one {@code $in} per window shape (at the heads, one for all).
     *
     * @return how many buckets, or windows of one, were read
     */
    private int load(List<Chain> chains, int window, String cursor) {
        Map<Integer, Map<String, Chain>> byRemaining = new HashMap<>();
        for (Chain c : chains) {
            if (c.bucket == null && !c.done) {
                byRemaining.computeIfAbsent(window == LogCursor.WHOLE_BUCKET ? LogCursor.WHOLE_BUCKET : c.remaining,
                        r -> new HashMap<>()).put(LogBucket.id(c.topic, c.partition, c.first), c);
            }
        }
        int read = 0;
        List<String> missing = new ArrayList<>();
        for (Map.Entry<Integer, Map<String, Chain>> shape : byRemaining.entrySet()) {
            int remaining = shape.getKey();
            Map<String, Chain> wanted = shape.getValue();
            read += wanted.size();
            FindIterable<Document> found = buckets.find(Filters.in(LogBucket.ID, wanted.keySet()));
            int skip = -1;
            if (window != LogCursor.WHOLE_BUCKET) {
                Object slice;
                if (remaining == LogCursor.WHOLE_BUCKET) {
                    slice = -window;
                } else {
                    skip = Math.max(0, remaining - window);
                    slice = List.of(skip, remaining - skip);
                }
                found = found.projection(windowOf(slice));
            }
            for (Document d : found) {
                int base = skip >= 0 ? skip : Math.max(0, d.getInteger(LogBucket.SIZE) - window);
                wanted.remove(d.getString(LogBucket.ID)).bucket =
                        LogBucket.fromDocument(d, window == LogCursor.WHOLE_BUCKET ? 0 : base);
            }
            missing.addAll(wanted.keySet());
        }
        if (!missing.isEmpty()) {
            if (cursor != null) {
                throw LogCursor.notHandedOut(cursor, null);
            }
            throw new IllegalStateException("the vote log is missing buckets " + missing);
        }
        return read;
    }

    /** Every field of a bucket but its entries, and of those the {@code $slice} given. */
    private static Document windowOf(Object slice) {
        return new Document(LogBucket.TOPIC, 1).append(LogBucket.PARTITION, 1).append(LogBucket.FIRST, 1)
                .append(LogBucket.NEXT, 1).append(LogBucket.COUNTED_AT, 1).append(LogBucket.CONTESTS, 1)
                .append(LogBucket.PREV, 1).append(LogBucket.COUNTS, 1).append(LogBucket.SIZE, 1)
                .append(LogBucket.ENTRIES, new Document("$slice", slice));
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
         * Finds the newest entry the filter takes left in the window read; without one, moves to
         * the bucket's earlier entries or to the previous bucket holding the contest (either not
         * read yet), or ends the chain.
         *
         * @return false when it moved to entries that must be read first
         */
        boolean settle(LogFilter filter) {
            String contest = filter.contest();
            for (int i = Math.min(remaining, bucket.end()) - 1; i >= bucket.base(); i--) {
                if (contest.equals(bucket.contestAt(i)) && filter.matches(bucket.entry(i))) {
                    candidate = i;
                    return true;
                }
            }
            if (bucket.base() > 0) {
                remaining = bucket.base();
                bucket = null;
                return false;
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
