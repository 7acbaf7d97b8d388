package dev.ovation.store;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.bson.Document;

/**
 * One document of collection {@code log_buckets}: the log entries of one counter batch in one topic
 * partition, for every contest at once, so that writing a batch's partition is one atomic insert.
 * This class is the one owner of the document's layout; every reader and writer goes through it.
 *
 * <pre>{@code
 * { _id: "votes/2/1200",             // <topic>/<partition>/<first>
 *   topic: "votes", p: 2,
 *   first: 1200,                     // the offset the bucket starts at, as far as the log is concerned
 *   next: 1700,                      // the offset after it: the next bucket of the partition starts here
 *   countedAt: ISODate(...),         // the latest counted-at time of its entries
 *   contests: ["default", "finale"],
 *   prev: { default: 700 },          // per contest: first of the previous bucket of this partition
 *                                    // holding that contest (absent: none)
 *   counts: { default: 5300, finale: 12 },  // per contest: its entries in this partition, this bucket included
 *   n: 500,                          // how many entries
 *   entries: [                       // by offset, ascending
 *     { i: "id", c: "default", b: "Queen", a: "Jazz", y: "1978", r: "1", v: "voter",
 *       pr: "grpc", rt: ISODate(received), ct: ISODate(counted, absent when the bucket's countedAt),
 *       s: "counted" | "rejected", why: "voter_limit" (absent when counted), o: 1203 } ] }
 * }</pre>
 *
 * <p>Entry fields whose value is null are left out.
 *
 * @param size    how many entries the bucket holds
 * @param base    the index (in the bucket) of the first of {@code entries}: a reader may read a
 *                window of them only ({@code $slice}), so a bucket's size costs a page nothing
 * @param entries the raw entry sub-documents, by offset ascending; decoded on demand by {@link #entry}
 */
record LogBucket(String topic, int partition, long first, long next, Instant countedAt, List<String> contests,
                 Map<String, Long> prev, Map<String, Long> counts, int size, int base, List<Document> entries) {

    /** Most entries in one bucket, so a bucket stays far below MongoDB's 16 MB document limit. */
    static final int MAX_ENTRIES = 500;

    static final String ID = "_id";
    static final String TOPIC = "topic";
    static final String PARTITION = "p";
    static final String FIRST = "first";
    static final String NEXT = "next";
    static final String COUNTED_AT = "countedAt";
    static final String CONTESTS = "contests";
    static final String PREV = "prev";
    static final String COUNTS = "counts";
    static final String SIZE = "n";
    static final String ENTRIES = "entries";

    private static final String VOTE_ID = "i";
    private static final String CONTEST = "c";
    private static final String BAND = "b";
    private static final String ALBUM = "a";
    private static final String YEAR = "y";
    private static final String RANK = "r";
    private static final String VOTER = "v";
    private static final String PROTOCOL = "pr";
    private static final String RECEIVED_AT = "rt";
    private static final String ENTRY_COUNTED_AT = "ct";
    private static final String STATUS = "s";
    private static final String REASON = "why";
    private static final String OFFSET = "o";

    /** The {@code _id} of the bucket of {@code topic}'s {@code partition} starting at {@code first}. */
    static String id(String topic, int partition, long first) {
        return topic + "/" + partition + "/" + first;
    }

    /** This bucket's {@code _id}. */
    String id() {
        return id(topic, partition, first);
    }

    /**
     * A new bucket of entries of one partition.
     *
     * @param entries by offset ascending, all at or after {@code first} and before {@code next}
     * @param chain   per contest, the partition's latest bucket holding it before this one
     */
    static LogBucket of(String topic, int partition, long first, long next, List<LogEntry> entries,
                        Map<String, ChainLink> chain) {
        Set<String> contests = new LinkedHashSet<>();
        Instant countedAt = Instant.EPOCH;
        for (LogEntry e : entries) {
            contests.add(e.contest());
            if (e.countedAt().isAfter(countedAt)) {
                countedAt = e.countedAt();
            }
        }
        Map<String, Long> prev = new LinkedHashMap<>();
        Map<String, Long> counts = new LinkedHashMap<>();
        for (String contest : contests) {
            ChainLink before = chain.get(contest);
            if (before != null) {
                prev.put(contest, before.first());
            }
            counts.put(contest, before == null ? 0L : before.entries());
        }
        List<Document> raw = new ArrayList<>(entries.size());
        for (LogEntry e : entries) {
            counts.merge(e.contest(), 1L, Long::sum);
            raw.add(entryDocument(e, countedAt));
        }
        return new LogBucket(topic, partition, first, next, countedAt, List.copyOf(contests), prev, counts,
                raw.size(), 0, raw);
    }

    /** The bucket as stored. */
    Document toDocument() {
        return new Document(ID, id())
                .append(TOPIC, topic)
                .append(PARTITION, partition)
                .append(FIRST, first)
                .append(NEXT, next)
                .append(COUNTED_AT, Date.from(countedAt))
                .append(CONTESTS, contests)
                .append(PREV, new Document(new LinkedHashMap<>(prev)))
                .append(COUNTS, new Document(new LinkedHashMap<>(counts)))
                .append(SIZE, size)
                .append(ENTRIES, entries);
    }

    /** A bucket as read whole. */
    static LogBucket fromDocument(Document d) {
        return fromDocument(d, 0);
    }

    /**
     * A bucket as read with a window of its entries.
     *
     * @param base the index in the bucket of the first entry read
     */
    static LogBucket fromDocument(Document d, int base) {
        List<Document> entries = d.getList(ENTRIES, Document.class);
        return new LogBucket(d.getString(TOPIC), d.getInteger(PARTITION), d.getLong(FIRST), d.getLong(NEXT),
                d.getDate(COUNTED_AT).toInstant(), d.getList(CONTESTS, String.class), longs(d.get(PREV, Document.class)),
                longs(d.get(COUNTS, Document.class)), d.getInteger(SIZE, entries.size()), base, entries);
    }

    /** The index after the last entry read. */
    int end() {
        return base + entries.size();
    }

    /** The contest of entry {@code index} (an index in the bucket), without decoding the rest of it. */
    String contestAt(int index) {
        return entries.get(index - base).getString(CONTEST);
    }

    /** The offset of entry {@code index}. */
    long offsetAt(int index) {
        return entries.get(index - base).getLong(OFFSET);
    }

    /** When entry {@code index} was counted. */
    Instant countedAtOf(int index) {
        Date counted = entries.get(index - base).getDate(ENTRY_COUNTED_AT);
        return counted == null ? countedAt : counted.toInstant();
    }

    /** Entry {@code index}, whole. */
    LogEntry entry(int index) {
        Document e = entries.get(index - base);
        return new LogEntry(e.getString(VOTE_ID), e.getString(CONTEST), e.getString(BAND), e.getString(ALBUM),
                e.getString(YEAR), e.getString(RANK), e.getString(VOTER), e.getString(PROTOCOL),
                instant(e.getDate(RECEIVED_AT)), countedAtOf(index), e.getString(STATUS), e.getString(REASON),
                partition, e.getLong(OFFSET));
    }

    /** Where this bucket leaves the chain of {@code contest} in its partition. */
    ChainLink link(String contest) {
        return new ChainLink(first, counts.get(contest));
    }

    private static Document entryDocument(LogEntry e, Instant bucketCountedAt) {
        Document d = new Document();
        put(d, VOTE_ID, e.id());
        put(d, CONTEST, e.contest());
        put(d, BAND, e.band());
        put(d, ALBUM, e.album());
        put(d, YEAR, e.year());
        put(d, RANK, e.rank());
        put(d, VOTER, e.voter());
        put(d, PROTOCOL, e.protocol());
        put(d, RECEIVED_AT, e.receivedAt() == null ? null : Date.from(e.receivedAt()));
        if (e.countedAt() != null && !e.countedAt().equals(bucketCountedAt)) {
            d.append(ENTRY_COUNTED_AT, Date.from(e.countedAt()));
        }
        put(d, STATUS, e.status());
        put(d, REASON, e.reason());
        d.append(OFFSET, e.offset());
        return d;
    }

    private static void put(Document d, String field, Object value) {
        if (value != null) {
            d.append(field, value);
        }
    }

    private static Instant instant(Date date) {
        return date == null ? null : date.toInstant();
    }

    private static Map<String, Long> longs(Document d) {
        Map<String, Long> values = new LinkedHashMap<>();
        if (d != null) {
            d.forEach((key, value) -> values.put(key, ((Number) value).longValue()));
        }
        return values;
    }

    /**
     * Where a contest's chain of buckets in one partition ends: the {@code first} of its latest
     * bucket, and how many of the contest's entries the partition holds up to and including it.
     */
    record ChainLink(long first, long entries) {
    }
}
