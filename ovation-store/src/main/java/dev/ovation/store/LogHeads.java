package dev.ovation.store;

import dev.ovation.store.LogBucket.ChainLink;
import java.util.LinkedHashMap;
import java.util.Map;
import org.bson.Document;
import org.bson.conversions.Bson;

/**
 * One document of collection {@code log_heads}: where a contest's chains of buckets end, one chain
 * per topic partition, and how many entries each holds. The one owner of the document's layout.
 *
 * <pre>{@code
 * { _id: "default",                         // the contest
 *   heads:   { "votes/0": 1200, "votes/1": 900 },   // per <topic>/<partition>: first of its latest bucket
 *   entries: { "votes/0": 5300, "votes/1": 4100 } } // per <topic>/<partition>: the contest's entries there
 * }</pre>
 *
 * <p>Both only move forward ({@code $max}), so writing a head again, or an older one late, changes
 * nothing; the contest's entry count is the sum of {@code entries}, exact through any crash. A
 * topic's dots are written {@code ~} in these field names (Kafka topic names have no {@code ~}),
 * since a dot in an update's field path would mean a deeper field.
 *
 * @param chains per partition key ({@link #key}), where the chain ends
 */
record LogHeads(String contest, Map<String, ChainLink> chains) {

    static final String HEADS = "heads";
    static final String ENTRIES = "entries";

    /** The field name of {@code topic}'s {@code partition} in {@code heads} and {@code entries}. */
    static String key(String topic, int partition) {
        return topic.replace('.', '~') + "/" + partition;
    }

    /** The topic of a field name made by {@link #key}. */
    static String topicOf(String key) {
        return key.substring(0, key.lastIndexOf('/')).replace('~', '.');
    }

    /** The partition of a field name made by {@link #key}. */
    static int partitionOf(String key) {
        return Integer.parseInt(key.substring(key.lastIndexOf('/') + 1));
    }

    /** A head document as read; null reads as a contest with no entries. */
    static LogHeads fromDocument(String contest, Document d) {
        Map<String, ChainLink> chains = new LinkedHashMap<>();
        if (d != null) {
            Document heads = d.get(HEADS, Document.class);
            Document entries = d.get(ENTRIES, Document.class);
            if (heads != null) {
                heads.forEach((key, first) -> {
                    Object count = entries == null ? null : entries.get(key);
                    chains.put(key, new ChainLink(((Number) first).longValue(),
                            count == null ? 0 : ((Number) count).longValue()));
                });
            }
        }
        return new LogHeads(contest, chains);
    }

    /** The update moving the chains in {@code links} (per partition key) forward to where they end. */
    static Bson advance(Map<String, ChainLink> links) {
        Document max = new Document();
        links.forEach((key, link) -> {
            max.append(HEADS + "." + key, link.first());
            max.append(ENTRIES + "." + key, link.entries());
        });
        return new Document("$max", max);
    }

    /** How many entries the contest's log holds. */
    long entries() {
        return chains.values().stream().mapToLong(ChainLink::entries).sum();
    }
}
