package dev.ovation.infra;

import de.bwaldvogel.mongo.bson.Document;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The documents of one collection last stored or read, decoded, so that the latest vote log buckets,
 * which every page of the latest votes reads, are not decoded again on each read. At most
 * {@code budget} bytes of their estimated heap, the least recently used dropped first.
 */
final class DecodedDocuments {

    /** A document's heap size per byte of its BSON, roughly, for documents of many short fields. */
    static final int HEAP_PER_BSON_BYTE = 6;

    private final long budget;
    private final LinkedHashMap<Object, Cached> documents = new LinkedHashMap<>(64, 0.75f, true);
    private long weight;

    DecodedDocuments(long budget) {
        this.budget = budget;
    }

    /** The document stored at {@code position}, when kept; null otherwise. */
    synchronized Document get(Object position) {
        Cached cached = documents.get(position);
        return cached == null ? null : cached.document;
    }

    /** Keeps {@code document}, whose BSON is {@code encoded}, as the one at {@code position}. */
    synchronized void put(Object position, Document document, EncodedDocument encoded) {
        long size = (long) HEAP_PER_BSON_BYTE * encoded.size();
        Cached before = documents.put(position, new Cached(document, size));
        weight += size - (before == null ? 0 : before.weight);
        Iterator<Map.Entry<Object, Cached>> oldest = documents.entrySet().iterator();
        while (weight > budget && oldest.hasNext()) {
            weight -= oldest.next().getValue().weight;
            oldest.remove();
        }
    }

    /** Drops the document at {@code position}. */
    synchronized void remove(Object position) {
        Cached before = documents.remove(position);
        if (before != null) {
            weight -= before.weight;
        }
    }

    private record Cached(Document document, long weight) {
    }
}
