package dev.ovation.store;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.bson.Document;
import org.bson.types.Binary;

/**
 * The vote log as versions before the documents wrote it: the same buckets, heads and positions,
 * but each bucket's entries packed in one binary value. {@link #pack} is those versions' packing,
 * as it was; a bucket differed from today's in its {@code entries} field only.
 */
final class PackedBuckets {

    private static final byte FORMAT = 1;
    private static final int HAS_YEAR = 1;
    private static final int HAS_RANK = 2;
    private static final int HAS_VOTER = 4;
    private static final int HAS_PROTOCOL = 8;
    private static final int HAS_RECEIVED_AT = 16;
    private static final int HAS_COUNTED_AT = 32;
    private static final int HAS_REASON = 64;

    private PackedBuckets() {
    }

    /**
     * Rewrites every bucket of {@code buckets} whose entries are documents into the packed form.
     *
     * @return how many buckets were rewritten
     */
    static int repack(MongoCollection<Document> buckets) {
        List<Document> unpacked = buckets.find().into(new ArrayList<Document>()).stream()
                .filter(d -> d.get(LogBucket.ENTRIES) instanceof List).toList();
        for (Document d : unpacked) {
            LogBucket bucket = LogBucket.fromDocument(d);
            Document packed = new Document(d).append(LogBucket.ENTRIES,
                    new Binary(pack(bucket.entries(), bucket.countedAt())));
            buckets.replaceOne(Filters.eq(LogBucket.ID, bucket.id()), packed);
        }
        return unpacked.size();
    }

    /** The entries packed as the versions before the documents did. */
    static byte[] pack(List<LogEntry> entries, Instant bucketCountedAt) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + entries.size() * 96);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(FORMAT);
            for (LogEntry e : entries) {
                boolean ownCountedAt = e.countedAt() != null && !e.countedAt().equals(bucketCountedAt);
                int flags = (e.year() != null ? HAS_YEAR : 0) | (e.rank() != null ? HAS_RANK : 0)
                        | (e.voter() != null ? HAS_VOTER : 0) | (e.protocol() != null ? HAS_PROTOCOL : 0)
                        | (e.receivedAt() != null ? HAS_RECEIVED_AT : 0) | (ownCountedAt ? HAS_COUNTED_AT : 0)
                        | (e.reason() != null ? HAS_REASON : 0);
                out.writeByte(flags);
                out.writeLong(e.offset());
                out.writeUTF(e.id());
                out.writeUTF(e.contest());
                out.writeUTF(e.band());
                out.writeUTF(e.album());
                writeIf(out, flags, HAS_YEAR, e.year());
                writeIf(out, flags, HAS_RANK, e.rank());
                writeIf(out, flags, HAS_VOTER, e.voter());
                writeIf(out, flags, HAS_PROTOCOL, e.protocol());
                if ((flags & HAS_RECEIVED_AT) != 0) {
                    out.writeLong(e.receivedAt().toEpochMilli());
                }
                if ((flags & HAS_COUNTED_AT) != 0) {
                    out.writeLong(e.countedAt().toEpochMilli());
                }
                writeIf(out, flags, HAS_REASON, e.reason());
                out.writeUTF(e.status());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static void writeIf(DataOutputStream out, int flags, int flag, String value) throws IOException {
        if ((flags & flag) != 0) {
            out.writeUTF(value);
        }
    }
}
