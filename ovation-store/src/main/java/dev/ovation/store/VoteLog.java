package dev.ovation.store;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoBulkWriteException;
import com.mongodb.bulk.BulkWriteError;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.BulkWriteOptions;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.InsertManyOptions;
import com.mongodb.client.model.UpdateOneModel;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;
import dev.ovation.store.LogBucket.ChainLink;
import dev.ovation.store.LogCursor.Position;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.bson.Document;
import org.bson.RawBsonDocument;

/**
 * The vote log in MongoDB: every counted (or rejected) vote, newest first per contest, and the
 * topic position the log has reached per partition.
 *
 * <p>Stored as buckets so that every read is an {@code _id} lookup, answered from the unique
 * {@code _id} index by MongoDB and by the embedded {@code mongo-java-server} alike:
 * <ul>
 * <li>{@code log_buckets}: one document per counter batch and topic partition, holding the batch's
 *     entries of every contest, linked per contest to the partition's previous bucket holding it
 *     (layout in {@link LogBucket});</li>
 * <li>{@code log_heads}: one document per contest, where its chain of buckets ends in each
 *     partition and how many entries each holds (layout in {@link LogHeads});</li>
 * <li>{@code positions}: {@code { _id: "<topic>/<partition>", next: <offset> }}, the offset after the
 *     last one logged; it only moves forward.</li>
 * </ul>
 *
 * <p>An append writes the buckets, then the heads, then the positions. A crash between any two
 * writes loses nothing and writes nothing twice: the retried batch starts again at the stored
 * position, its bucket's {@code _id} is taken by the one written before the crash, and the log
 * goes on after that bucket's {@code next}.
 */
public final class VoteLog {

    private static final int DUPLICATE_KEY = 11000;
    private static final String NEXT = "next";
    /** The most buckets one page of a narrowing filter reads. */
    public static final int FILTERED_PAGE_BUCKETS = 64;

    private final MongoCollection<Document> buckets;
    /** The same collection, written with documents encoded by {@link LogBucket#toBson}. */
    private final MongoCollection<RawBsonDocument> bucketWriter;
    private final MongoCollection<Document> heads;
    private final MongoCollection<Document> positions;
    private final LogPager pager;
    /** The chain ends of the last append's topic; null until read, and after any failure. */
    private BucketChains chains;

    public VoteLog(MongoDatabase database) {
        this.buckets = database.getCollection("log_buckets");
        this.bucketWriter = database.getCollection("log_buckets", RawBsonDocument.class);
        this.heads = database.getCollection("log_heads");
        this.positions = database.getCollection("positions");
        this.pager = new LogPager(buckets);
    }

    /**
     * Appends a counter batch, then records the position reached per partition.
     *
     * @param entries the batch's entries, any partitions, each with its partition and offset
     * @param from    per partition of the batch, the offset the batch starts at as far as the log is
     *                concerned: the log's stored position, or the batch's first offset in that
     *                partition when the log has none. Entries below it (or below the stored position,
     *                should that be further) are logged already and skipped
     * @param reached per partition, the offset after the batch
     */
    public synchronized void append(String topic, List<LogEntry> entries, Map<Integer, Long> from,
                                    Map<Integer, Long> reached) {
        try {
            write(topic, entries, from, reached);
        } catch (RuntimeException e) {
            chains = null;
            throw e;
        }
    }

    private void write(String topic, List<LogEntry> entries, Map<Integer, Long> from, Map<Integer, Long> reached) {
        Set<Integer> partitions = new TreeSet<>(reached.keySet());
        entries.forEach(e -> partitions.add(e.partition()));
        if (partitions.isEmpty()) {
            return;
        }
        Map<Integer, Long> stored = storedPositions(topic, partitions);

        // What is left to write, per partition, and where the position ends up.
        Map<Integer, Long> start = new HashMap<>();
        for (int p : partitions) {
            Long at = max(from.get(p), stored.get(p));
            if (at != null) {
                start.put(p, at);
            }
        }
        TreeMap<Integer, List<LogEntry>> unwritten = new TreeMap<>();
        for (LogEntry e : entries) {
            Long at = start.get(e.partition());
            if (at == null || e.offset() >= at) {
                unwritten.computeIfAbsent(e.partition(), p -> new ArrayList<>()).add(e);
            }
        }
        Map<Integer, Long> end = new HashMap<>();
        for (int p : partitions) {
            end.put(p, max(reached.get(p), stored.get(p)));
        }
        Map<Integer, Run> runs = new TreeMap<>();
        Set<String> contests = new LinkedHashSet<>();
        unwritten.forEach((p, list) -> {
            list.sort(Comparator.comparingLong(LogEntry::offset));
            long last = list.get(list.size() - 1).offset();
            end.merge(p, last + 1, Math::max);
            runs.put(p, new Run(p, start.getOrDefault(p, list.get(0).offset()), end.get(p), list));
            list.forEach(e -> contests.add(e.contest()));
        });

        BucketChains chains = chainsFor(topic, partitions, stored, contests);
        List<LogBucket> linked = insertBuckets(topic, runs, chains, end);
        advanceHeads(linked);
        advancePositions(topic, end);
        end.forEach(chains::seenAt);
        this.chains = chains;
    }

    /**
     * Inserts the runs' buckets with one ordered {@code insertMany} per attempt. A duplicate
     * {@code _id} is a bucket an earlier attempt wrote before crashing: its entries are logged, and
     * the run goes on at its {@code next}.
     *
     * @return the buckets now in the log for this batch, written here or found written
     */
    private List<LogBucket> insertBuckets(String topic, Map<Integer, Run> runs, BucketChains chains,
                                          Map<Integer, Long> end) {
        List<LogBucket> linked = new ArrayList<>();
        while (!runs.isEmpty()) {
            BucketChains draft = chains.draft();
            List<LogBucket> attempt = new ArrayList<>();
            for (Run run : runs.values()) {
                attempt.addAll(run.buckets(topic, draft));
            }
            int written = attempt.size();
            LogBucket taken = null;
            try {
                bucketWriter.insertMany(attempt.stream().map(LogBucket::toBson).toList(),
                        new InsertManyOptions().ordered(true));
            } catch (MongoBulkWriteException e) {
                BulkWriteError error = e.getWriteErrors().get(0);
                if (!isDuplicateKey(error)) {
                    throw e;
                }
                written = error.getIndex();
                taken = attempt.get(written);
            }
            for (LogBucket bucket : attempt.subList(0, written)) {
                chains.fold(bucket);
                linked.add(bucket);
                runs.computeIfPresent(bucket.partition(), (p, run) -> run.after(bucket.next()));
            }
            if (taken != null) {
                Document existing = buckets.find(Filters.eq(LogBucket.ID, taken.id())).first();
                if (existing == null) {
                    throw new IllegalStateException("bucket " + taken.id() + " is taken but cannot be read");
                }
                LogBucket found = LogBucket.fromDocument(existing);
                chains.fold(found);
                linked.add(found);
                end.merge(found.partition(), found.next(), Math::max);
                runs.computeIfPresent(found.partition(), (p, run) -> run.after(found.next()));
            }
        }
        return linked;
    }

    /** Moves each contest's heads forward to the buckets of this batch. */
    private void advanceHeads(List<LogBucket> linked) {
        Map<String, Map<String, ChainLink>> byContest = new TreeMap<>();
        for (LogBucket bucket : linked) {
            String key = LogHeads.key(bucket.topic(), bucket.partition());
            for (String contest : bucket.contests()) {
                byContest.computeIfAbsent(contest, c -> new TreeMap<>())
                        .merge(key, bucket.link(contest), (a, b) -> a.first() >= b.first() ? a : b);
            }
        }
        List<UpdateOneModel<Document>> updates = new ArrayList<>();
        byContest.forEach((contest, links) -> updates.add(new UpdateOneModel<>(Filters.eq("_id", contest),
                LogHeads.advance(links), new UpdateOptions().upsert(true))));
        if (!updates.isEmpty()) {
            heads.bulkWrite(updates, new BulkWriteOptions().ordered(false));
        }
    }

    private void advancePositions(String topic, Map<Integer, Long> end) {
        List<UpdateOneModel<Document>> updates = new ArrayList<>();
        end.forEach((partition, next) -> {
            if (next != null) {
                updates.add(new UpdateOneModel<>(Filters.eq("_id", positionId(topic, partition)),
                        Updates.max(NEXT, next), new UpdateOptions().upsert(true)));
            }
        });
        if (!updates.isEmpty()) {
            positions.bulkWrite(updates, new BulkWriteOptions().ordered(false));
        }
    }

    /** The cached chain ends when still valid, else freshly read; with the heads of {@code contests} read. */
    private BucketChains chainsFor(String topic, Set<Integer> partitions, Map<Integer, Long> stored,
                                   Set<String> contests) {
        BucketChains current = chains != null && chains.validFor(topic, partitions, stored)
                ? chains : new BucketChains(topic);
        chains = null;
        List<String> unread = current.unloaded(contests);
        if (!unread.isEmpty()) {
            Map<String, Document> found = new HashMap<>();
            for (Document d : heads.find(Filters.in("_id", unread))) {
                found.put(d.getString("_id"), d);
            }
            unread.forEach(contest -> current.load(LogHeads.fromDocument(contest, found.get(contest))));
        }
        partitions.forEach(p -> current.seenAt(p, stored.get(p)));
        return current;
    }

    private Map<Integer, Long> storedPositions(String topic, Set<Integer> partitions) {
        Map<Integer, Long> result = new HashMap<>();
        List<String> ids = partitions.stream().map(p -> positionId(topic, p)).toList();
        for (Document doc : positions.find(Filters.in("_id", ids))) {
            String id = doc.getString("_id");
            result.put(Integer.parseInt(id.substring(id.lastIndexOf('/') + 1)), doc.getLong(NEXT));
        }
        return result;
    }

    /** The next offset to apply per partition, as far as the log is concerned. */
    public Map<Integer, Long> positions(String topic) {
        Map<Integer, Long> result = new HashMap<>();
        for (Document doc : positions.find(Filters.regex("_id", "^" + Pattern.quote(topic + "/")))) {
            String id = doc.getString("_id");
            result.put(Integer.parseInt(id.substring(id.lastIndexOf('/') + 1)), doc.getLong(NEXT));
        }
        return result;
    }

    /**
     * The latest entries of a contest, newest first (by counted-at time, then partition, then
     * offset). Paging on with each page's {@code next} returns every entry exactly once: a cursor
     * holds where each partition's chain was left, not a time. The order is exact because a
     * partition's entries are counted in offset order, so their counted-at times never go down.
     * A page reads the contest's head and one bucket per partition, then only the buckets it
     * pages into.
     *
     * @param limit  at most this many entries, at least 1
     * @param cursor the {@code next} of the previous page, or null for the first page
     * @throws IllegalArgumentException when the cursor is not one this log handed out
     */
    public LogPage latest(String contest, int limit, String cursor) {
        return latest(LogFilter.of(contest), limit, cursor);
    }

    /**
     * The same for the entries {@code filter} takes. A filter naming a band or an album reads at
     * most {@value #FILTERED_PAGE_BUCKETS} buckets a page (up to 500 entries each, of every band),
     * so a page of a rare band may hold fewer than {@code limit} entries while its {@code next} is
     * not null: ask again with it.
     */
    public LogPage latest(LogFilter filter, int limit, String cursor) {
        String contest = filter.contest();
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1, not " + limit);
        }
        List<Position> start;
        if (cursor == null) {
            LogHeads head = LogHeads.fromDocument(contest, heads.find(Filters.eq("_id", contest)).first());
            start = new ArrayList<>();
            head.chains().forEach((key, link) -> start.add(new Position(LogHeads.topicOf(key),
                    LogHeads.partitionOf(key), link.first(), LogCursor.WHOLE_BUCKET)));
        } else {
            start = LogCursor.decode(cursor).positions();
        }
        return pager.page(filter, start, limit, cursor, filter.narrows() ? FILTERED_PAGE_BUCKETS : Integer.MAX_VALUE);
    }

    /**
     * Deletes what the log holds of one topic and one contest: the topic's buckets and the
     * contest's head. For the warm-up's own topic and contest only ({@link WarmupSpace}): the log of
     * real votes is never deleted. The topic's positions stay, so the next warm-up resumes there
     * rather than at the start of the topic, and a counter still warming up elsewhere is not moved.
     */
    public synchronized void forget(String topic, String contest) {
        buckets.deleteMany(Filters.regex("_id", Pattern.compile("^" + Pattern.quote(topic + "/"))));
        heads.deleteOne(Filters.eq("_id", contest));
        chains = null;
    }

    /** How many entries a contest's log holds. */
    public long count(String contest) {
        return LogHeads.fromDocument(contest, heads.find(Filters.eq("_id", contest)).first()).entries();
    }

    private static boolean isDuplicateKey(BulkWriteError error) {
        return error.getCode() == DUPLICATE_KEY
                || ErrorCategory.fromErrorCode(error.getCode()) == ErrorCategory.DUPLICATE_KEY;
    }

    private static String positionId(String topic, int partition) {
        return topic + "/" + partition;
    }

    private static Long max(Long a, Long b) {
        if (a == null) {
            return b;
        }
        return b == null ? a : Math.max(a, b);
    }

    /**
     * The entries of one partition still to write, from offset {@code start} up to {@code end}
     * (exclusive), by offset.
     */
    private record Run(int partition, long start, long end, List<LogEntry> entries) {

        /**
         * The buckets of the run, {@link LogBucket#MAX_ENTRIES} entries at most each, covering start
         * to end, each linked into {@code chains} as it is made.
         */
        List<LogBucket> buckets(String topic, BucketChains chains) {
            List<LogBucket> result = new ArrayList<>();
            for (int from = 0; from < entries.size(); from += LogBucket.MAX_ENTRIES) {
                int to = Math.min(entries.size(), from + LogBucket.MAX_ENTRIES);
                long first = from == 0 ? start : entries.get(from).offset();
                long next = to == entries.size() ? end : entries.get(to).offset();
                LogBucket bucket = LogBucket.of(topic, partition, first, next, entries.subList(from, to),
                        chains.endsIn(partition));
                chains.fold(bucket);
                result.add(bucket);
            }
            return result;
        }

        /** What is left once the log holds everything before {@code next}; null when nothing is. */
        Run after(long next) {
            List<LogEntry> left = entries.stream().filter(e -> e.offset() >= next).toList();
            return left.isEmpty() ? null : new Run(partition, Math.max(start, next), Math.max(end, next), left);
        }
    }
}
