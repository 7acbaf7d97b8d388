package dev.ovation.store;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoBulkWriteException;
import com.mongodb.bulk.BulkWriteError;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.InsertManyOptions;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.UpdateOneModel;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;
import com.mongodb.client.model.BulkWriteOptions;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.bson.Document;
import org.bson.conversions.Bson;

/**
 * The vote log in MongoDB: one document per counted vote in collection {@code votes}, keyed
 * {@code <contest>/<id>} so that writing an entry again (a replay) changes nothing; and the topic
 * position the log has reached, per partition, in collection {@code positions}.
 *
 * <p>Indexed for the latest votes of a contest ({@code contest, countedAt desc, _id desc}) and for
 * a band's votes ({@code contest, band, countedAt desc}).
 */
public final class VoteLog {

    private static final int DUPLICATE_KEY = 11000;

    private final MongoCollection<Document> votes;
    private final MongoCollection<Document> positions;

    public VoteLog(MongoDatabase database) {
        this.votes = database.getCollection("votes");
        this.positions = database.getCollection("positions");
    }

    /** Creates the indexes unless they exist. */
    public VoteLog ensureIndexes() {
        votes.createIndex(Indexes.compoundIndex(Indexes.ascending("contest"), Indexes.descending("countedAt"),
                Indexes.descending("_id")), new IndexOptions().name("latest"));
        votes.createIndex(Indexes.compoundIndex(Indexes.ascending("contest"), Indexes.ascending("band"),
                Indexes.descending("countedAt")), new IndexOptions().name("by_band"));
        return this;
    }

    /**
     * Appends entries (those already present are left as they are), then records the position
     * reached per partition. Positions only move forward.
     */
    public void append(String topic, List<LogEntry> entries, Map<Integer, Long> reached) {
        if (!entries.isEmpty()) {
            List<Document> docs = entries.stream().map(VoteLog::toDocument).toList();
            try {
                votes.insertMany(docs, new InsertManyOptions().ordered(false));
            } catch (MongoBulkWriteException e) {
                for (BulkWriteError error : e.getWriteErrors()) {
                    if (error.getCode() != DUPLICATE_KEY
                            && ErrorCategory.fromErrorCode(error.getCode()) != ErrorCategory.DUPLICATE_KEY) {
                        throw e;
                    }
                }
            }
        }
        List<UpdateOneModel<Document>> updates = new ArrayList<>();
        reached.forEach((partition, next) -> updates.add(new UpdateOneModel<>(
                Filters.eq("_id", topic + "/" + partition), Updates.max("next", next), new UpdateOptions().upsert(true))));
        if (!updates.isEmpty()) {
            positions.bulkWrite(updates, new BulkWriteOptions().ordered(false));
        }
    }

    /** The next offset to apply per partition, as far as the log is concerned. */
    public Map<Integer, Long> positions(String topic) {
        Map<Integer, Long> result = new HashMap<>();
        for (Document doc : positions.find(Filters.regex("_id", "^" + java.util.regex.Pattern.quote(topic + "/")))) {
            String id = doc.getString("_id");
            result.put(Integer.parseInt(id.substring(id.lastIndexOf('/') + 1)), doc.getLong("next"));
        }
        return result;
    }

    /**
     * The latest entries of a contest, newest first.
     *
     * @param cursor the {@code next} of the previous page, or null for the first page
     * @throws IllegalArgumentException when the cursor is not one this log handed out
     */
    public LogPage latest(String contest, int limit, String cursor) {
        Bson filter = Filters.eq("contest", contest);
        if (cursor != null) {
            Cursor after = Cursor.decode(cursor);
            filter = Filters.and(filter, Filters.or(Filters.lt("countedAt", Date.from(after.countedAt())),
                    Filters.and(Filters.eq("countedAt", Date.from(after.countedAt())), Filters.lt("_id", after.key()))));
        }
        List<LogEntry> entries = new ArrayList<>(limit);
        String lastKey = null;
        for (Document doc : votes.find(filter).sort(Sorts.orderBy(Sorts.descending("countedAt"), Sorts.descending("_id")))
                .limit(limit + 1)) {
            if (entries.size() == limit) {
                LogEntry last = entries.get(entries.size() - 1);
                return new LogPage(entries, new Cursor(last.countedAt(), lastKey).encode());
            }
            entries.add(fromDocument(doc));
            lastKey = doc.getString("_id");
        }
        return new LogPage(entries, null);
    }

    /** How many entries a contest's log holds. */
    public long count(String contest) {
        return votes.countDocuments(Filters.eq("contest", contest));
    }

    private static Document toDocument(LogEntry e) {
        return new Document("_id", e.contest() + "/" + e.id())
                .append("contest", e.contest())
                .append("id", e.id())
                .append("band", e.band())
                .append("album", e.album())
                .append("year", e.year())
                .append("rank", e.rank())
                .append("voter", e.voter())
                .append("protocol", e.protocol())
                .append("receivedAt", Date.from(e.receivedAt()))
                .append("countedAt", Date.from(e.countedAt()))
                .append("status", e.status())
                .append("reason", e.reason())
                .append("partition", e.partition())
                .append("offset", e.offset());
    }

    private static LogEntry fromDocument(Document d) {
        return new LogEntry(d.getString("id"), d.getString("contest"), d.getString("band"), d.getString("album"),
                d.getString("year"), d.getString("rank"), d.getString("voter"), d.getString("protocol"),
                d.getDate("receivedAt").toInstant(), d.getDate("countedAt").toInstant(), d.getString("status"),
                d.getString("reason"), d.getInteger("partition"), d.getLong("offset"));
    }

    /** Where a page ends: the last entry's counted-at time and key. */
    private record Cursor(Instant countedAt, String key) {

        String encode() {
            String raw = countedAt.toEpochMilli() + ":" + key;
            return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
        }

        static Cursor decode(String cursor) {
            try {
                String raw = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
                int colon = raw.indexOf(':');
                return new Cursor(Instant.ofEpochMilli(Long.parseLong(raw.substring(0, colon))), raw.substring(colon + 1));
            } catch (IllegalArgumentException | StringIndexOutOfBoundsException e) {
                throw new IllegalArgumentException("the cursor '" + cursor + "' is not one this API handed out", e);
            }
        }
    }
}
