package dev.ovation.store;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.bson.BsonBinaryWriter;
import org.bson.Document;
import org.bson.RawBsonDocument;
import org.bson.io.BasicOutputBuffer;
import org.bson.types.Binary;

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
 *   entries: [                       // one per vote, by offset ascending
 *     { id: "3f2c...", contest: "default", band: "Queen", album: "Jazz", year: "1978", rank: "1",
 *       voter: "v1:Qm9...",          // the pseudonym, as the ingest made it
 *       protocol: "grpc", receivedAt: ISODate(...), countedAt: ISODate(...),
 *       status: "counted",           // or "rejected", with reason: "voter_limit"
 *       partition: 2, offset: 1203 } ] }
 * }</pre>
 *
 * <p>Entry fields whose value is null (a year, a rank or a voter the vote did not have, the reason
 * of a counted vote) are left out. Each entry is a plain sub-document so that MongoDB's own tools
 * (mongosh, an aggregation with {@code $unwind}, a BI connector) read the log as it is.
 *
 * <p>Logs written by earlier versions hold the entries packed in one binary value instead
 * ({@code entries: BinData}); such buckets still read ({@link #unpack}), and every bucket written
 * now is in the form above. The packing: a format byte ({@code 1}), then per entry, in
 * {@link java.io.DataOutput} encodings: a flags byte (which optional fields follow: 1 year, 2 rank,
 * 4 voter, 8 protocol, 16 receivedAt, 32 countedAt when not the bucket's, 64 reason), the offset
 * ({@code long}), the id, contest, band and album ({@code UTF}), the optional fields present
 * (strings as {@code UTF}, times as epoch-millisecond {@code long}s), and the status ({@code UTF}).
 *
 * @param size    how many entries the bucket holds
 * @param base    the index (in the bucket) of the first of {@code entries}: a reader may read a window
 *                of them only ({@code $slice}), so that a page of the latest votes costs the same
 *                whatever the buckets' size
 * @param entries the entries read, by offset ascending: all of them, or a window
 */
record LogBucket(String topic, int partition, long first, long next, Instant countedAt, List<String> contests,
                 Map<String, Long> prev, Map<String, Long> counts, int size, int base, List<LogEntry> entries) {

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

    static final String VOTE_ID = "id";
    static final String CONTEST = "contest";
    static final String BAND = "band";
    static final String ALBUM = "album";
    static final String YEAR = "year";
    static final String RANK = "rank";
    static final String VOTER = "voter";
    static final String PROTOCOL = "protocol";
    static final String RECEIVED_AT = "receivedAt";
    static final String ENTRY_COUNTED_AT = "countedAt";
    static final String STATUS = "status";
    static final String REASON = "reason";
    static final String ENTRY_PARTITION = "partition";
    static final String OFFSET = "offset";

    /** The packing of earlier versions' buckets (see the class comment). */
    private static final byte FORMAT = 1;
    private static final int HAS_YEAR = 1;
    private static final int HAS_RANK = 2;
    private static final int HAS_VOTER = 4;
    private static final int HAS_PROTOCOL = 8;
    private static final int HAS_RECEIVED_AT = 16;
    private static final int HAS_COUNTED_AT = 32;
    private static final int HAS_REASON = 64;

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
        for (LogEntry e : entries) {
            counts.merge(e.contest(), 1L, Long::sum);
        }
        return new LogBucket(topic, partition, first, next, countedAt, List.copyOf(contests), prev, counts,
                entries.size(), 0, List.copyOf(entries));
    }

    /**
     * The bucket as stored (the layout of the class comment), written straight into BSON: a
     * document and a codec lookup per field of every entry made the driver's encoding the counter's
     * largest cost of logging (bench/profile.sh).
     */
    RawBsonDocument toBson() {
        BasicOutputBuffer out = new BasicOutputBuffer(512 + 256 * entries.size());
        try (BsonBinaryWriter w = new BsonBinaryWriter(out)) {
            w.writeStartDocument();
            w.writeString(ID, id());
            w.writeString(TOPIC, topic);
            w.writeInt32(PARTITION, partition);
            w.writeInt64(FIRST, first);
            w.writeInt64(NEXT, next);
            w.writeDateTime(COUNTED_AT, countedAt.toEpochMilli());
            w.writeStartArray(CONTESTS);
            contests.forEach(w::writeString);
            w.writeEndArray();
            w.writeStartDocument(PREV);
            prev.forEach(w::writeInt64);
            w.writeEndDocument();
            w.writeStartDocument(COUNTS);
            counts.forEach(w::writeInt64);
            w.writeEndDocument();
            w.writeInt32(SIZE, size);
            w.writeStartArray(ENTRIES);
            for (LogEntry e : entries) {
                w.writeStartDocument();
                writeUnlessNull(w, VOTE_ID, e.id());
                writeUnlessNull(w, CONTEST, e.contest());
                writeUnlessNull(w, BAND, e.band());
                writeUnlessNull(w, ALBUM, e.album());
                writeUnlessNull(w, YEAR, e.year());
                writeUnlessNull(w, RANK, e.rank());
                writeUnlessNull(w, VOTER, e.voter());
                writeUnlessNull(w, PROTOCOL, e.protocol());
                writeUnlessNull(w, RECEIVED_AT, e.receivedAt());
                writeUnlessNull(w, ENTRY_COUNTED_AT, e.countedAt());
                writeUnlessNull(w, STATUS, e.status());
                writeUnlessNull(w, REASON, e.reason());
                w.writeInt32(ENTRY_PARTITION, e.partition());
                w.writeInt64(OFFSET, e.offset());
                w.writeEndDocument();
            }
            w.writeEndArray();
            w.writeEndDocument();
        }
        return new RawBsonDocument(out.getInternalBuffer(), 0, out.getPosition());
    }

    private static void writeUnlessNull(BsonBinaryWriter w, String field, String value) {
        if (value != null) {
            w.writeString(field, value);
        }
    }

    private static void writeUnlessNull(BsonBinaryWriter w, String field, Instant value) {
        if (value != null) {
            w.writeDateTime(field, value.toEpochMilli());
        }
    }

    /** A bucket as read whole, in the form written now or packed by an earlier version. */
    static LogBucket fromDocument(Document d) {
        return fromDocument(d, 0);
    }

    /**
     * A bucket as read with a window of its entries ({@code $slice}). A packed bucket is always read
     * whole: {@code $slice} leaves a value that is no array as it is.
     *
     * @param base the index in the bucket of the first entry read
     */
    static LogBucket fromDocument(Document d, int base) {
        String topic = d.getString(TOPIC);
        int partition = d.getInteger(PARTITION);
        Instant countedAt = d.getDate(COUNTED_AT).toInstant();
        Object stored = d.get(ENTRIES);
        List<LogEntry> entries;
        int from;
        if (stored instanceof Binary packed) {
            entries = unpack(packed.getData(), topic, partition, countedAt);
            from = 0;
        } else {
            entries = entries(d.getList(ENTRIES, Document.class), partition);
            from = base;
        }
        return new LogBucket(topic, partition, d.getLong(FIRST), d.getLong(NEXT), countedAt,
                d.getList(CONTESTS, String.class), longs(d.get(PREV, Document.class)),
                longs(d.get(COUNTS, Document.class)), d.getInteger(SIZE, from + entries.size()), from, entries);
    }

    /** The index after the last entry read. */
    int end() {
        return base + entries.size();
    }

    /** The contest of entry {@code index} (an index in the bucket, at or after {@link #base}). */
    String contestAt(int index) {
        return entries.get(index - base).contest();
    }

    /** The offset of entry {@code index}. */
    long offsetAt(int index) {
        return entries.get(index - base).offset();
    }

    /** When entry {@code index} was counted. */
    Instant countedAtOf(int index) {
        return entries.get(index - base).countedAt();
    }

    /** Entry {@code index}, whole. */
    LogEntry entry(int index) {
        return entries.get(index - base);
    }

    /** Where this bucket leaves the chain of {@code contest} in its partition. */
    ChainLink link(String contest) {
        return new ChainLink(first, counts.get(contest));
    }

    private static List<LogEntry> entries(List<Document> stored, int partition) {
        List<LogEntry> entries = new ArrayList<>(stored.size());
        for (Document e : stored) {
            entries.add(new LogEntry(e.getString(VOTE_ID), e.getString(CONTEST), e.getString(BAND),
                    e.getString(ALBUM), e.getString(YEAR), e.getString(RANK), e.getString(VOTER),
                    e.getString(PROTOCOL), instant(e.getDate(RECEIVED_AT)), instant(e.getDate(ENTRY_COUNTED_AT)),
                    e.getString(STATUS), e.getString(REASON), partition, e.getLong(OFFSET)));
        }
        return entries;
    }

    private static Instant instant(Date date) {
        return date == null ? null : date.toInstant();
    }

    /** The entries of a bucket an earlier version packed, as the class comment says. */
    static List<LogEntry> unpack(byte[] packed, String topic, int partition, Instant bucketCountedAt) {
        List<LogEntry> entries = new ArrayList<>();
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(packed))) {
            byte format = in.readByte();
            if (format != FORMAT) {
                throw new IllegalStateException("a bucket of " + topic + "/" + partition + " has entries in format "
                        + format + ", which this version cannot read");
            }
            while (in.available() > 0) {
                int flags = in.readUnsignedByte();
                long offset = in.readLong();
                String id = in.readUTF();
                String contest = in.readUTF();
                String band = in.readUTF();
                String album = in.readUTF();
                String year = readIf(in, flags, HAS_YEAR);
                String rank = readIf(in, flags, HAS_RANK);
                String voter = readIf(in, flags, HAS_VOTER);
                String protocol = readIf(in, flags, HAS_PROTOCOL);
                Instant receivedAt = (flags & HAS_RECEIVED_AT) != 0 ? Instant.ofEpochMilli(in.readLong()) : null;
                Instant countedAt = (flags & HAS_COUNTED_AT) != 0 ? Instant.ofEpochMilli(in.readLong()) : bucketCountedAt;
                String reason = readIf(in, flags, HAS_REASON);
                String status = in.readUTF();
                entries.add(new LogEntry(id, contest, band, album, year, rank, voter, protocol, receivedAt, countedAt,
                        status, reason, partition, offset));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return entries;
    }

    private static String readIf(DataInputStream in, int flags, int flag) throws IOException {
        return (flags & flag) != 0 ? in.readUTF() : null;
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
