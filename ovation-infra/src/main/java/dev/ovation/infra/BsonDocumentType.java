package dev.ovation.infra;

import de.bwaldvogel.mongo.bson.BinData;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.wire.bson.BsonDecoder;
import io.netty.buffer.Unpooled;
import java.nio.ByteBuffer;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.function.LongSupplier;
import org.h2.mvstore.WriteBuffer;
import org.h2.mvstore.type.BasicDataType;
import org.h2.mvstore.type.ObjectDataType;

/**
 * How the MongoDB-wire server's H2 file stores a collection's documents: as BSON, with the server's
 * own encoder and decoder, instead of H2's default of Java serialization.
 *
 * <p>Java serialization of a document with many sub-documents (a vote log bucket of 500 votes) was
 * the largest CPU cost of the whole pipeline (bench/profile.sh); BSON is what MongoDB stores, and
 * costs a fraction of it. Each value is one tag byte, {@link #BSON}, then the document's BSON, which
 * carries its own length.
 *
 * <p>A document is encoded once ({@link DocumentEncoder}), when its collection stores it
 * ({@link #encode}, which also gives the collection its size), and the encoding is kept for the
 * commits that write it: the one after it is stored, and the next, which writes it again when a new
 * document lands in its page. A document read from the file keeps the bytes it was read from, for
 * the same reason. Kept are the encodings of documents stored or read since the last commit and of
 * those the last commit wrote (the store's version tells them apart): about two seconds of writes.
 *
 * <p>Files written before hold Java-serialized documents, which H2's {@link ObjectDataType} wrote
 * with its own tag bytes (0 to 119, never {@link #BSON}): those are read as before, by that type, so
 * an older data directory opens as it is, and each of its pages is stored as BSON the next time it
 * is written. A file written by this version cannot be read by an older one.
 */
final class BsonDocumentType extends BasicDataType<Document> {

    /** The tag of a document stored as BSON: a byte H2's {@link ObjectDataType} never writes first. */
    static final byte BSON = (byte) 0x80;

    /** A document's heap size per byte of its BSON, roughly, for documents of many short fields. */
    private static final int HEAP_PER_BSON_BYTE = 6;

    /** What a map entry costs beyond its key and value on the heap, roughly: a LinkedHashMap entry. */
    private static final int ENTRY_OVERHEAD = 48;

    private final ObjectDataType javaSerialized = new ObjectDataType();
    private final LongSupplier version;
    /** Encodings of the documents stored or written in store version {@link #generation}. */
    private IdentityHashMap<Document, byte[]> current = new IdentityHashMap<>();
    /** Those of the version before it. */
    private IdentityHashMap<Document, byte[]> previous = new IdentityHashMap<>();
    private long generation = Long.MIN_VALUE;

    /** @param version the store's current version, which each commit moves on */
    BsonDocumentType(LongSupplier version) {
        this.version = version;
    }

    /** The BSON of {@code document}, kept for the commits that will write it. */
    byte[] encode(Document document) {
        byte[] bson = bsonOf(document);
        remember(document, bson);
        return bson;
    }

    /** The size of {@code document} in BSON: its encoding kept, or a new one. */
    int sizeOf(Document document) {
        byte[] kept = kept(document);
        return kept != null ? kept.length : bsonOf(document).length;
    }

    /** Drops what is kept of {@code document}: it was changed in place, or removed. */
    synchronized void forget(Document document) {
        current.remove(document);
        previous.remove(document);
    }

    @Override
    public void write(WriteBuffer buff, Document document) {
        byte[] bson = kept(document);
        if (bson == null) {
            bson = encode(document);
        }
        buff.put(BSON).put(bson);
    }

    @Override
    public Document read(ByteBuffer buff) {
        int at = buff.position();
        if (buff.get(at) != BSON) {
            return (Document) javaSerialized.read(buff);
        }
        int length = Integer.reverseBytes(buff.getInt(at + 1));
        byte[] bson = new byte[length];
        buff.get(at + 1, bson);
        buff.position(at + 1 + length);
        Document document = BsonDecoder.decodeBson(Unpooled.wrappedBuffer(bson));
        // a page read to store a new document beside this one is written again with it
        remember(document, bson);
        return document;
    }

    @Override
    public Document[] createStorage(int size) {
        return new Document[size];
    }

    /**
     * The document's heap size, estimated: what H2 weighs its cache and its pages by. From the
     * length of its encoding when one is kept (a document on the heap takes about six times its
     * BSON: a map entry and strings per field), else by walking it.
     */
    @Override
    public int getMemory(Document document) {
        byte[] kept = peek(document);
        return kept != null ? HEAP_PER_BSON_BYTE * kept.length : memory(document);
    }

    private static byte[] bsonOf(Document document) {
        return DocumentEncoder.encode(document);
    }

    private synchronized byte[] kept(Document document) {
        turn();
        byte[] bson = current.get(document);
        if (bson == null) {
            bson = previous.remove(document);
            if (bson != null) {
                current.put(document, bson);
            }
        }
        return bson;
    }

    private synchronized byte[] peek(Document document) {
        byte[] bson = current.get(document);
        return bson != null ? bson : previous.get(document);
    }

    private synchronized void remember(Document document, byte[] bson) {
        turn();
        current.put(document, bson);
    }

    /** Starts a new generation when the store's version moved: what was not used since is dropped. */
    private void turn() {
        long now = version.getAsLong();
        if (now != generation) {
            previous = now == generation + 1 ? current : new IdentityHashMap<>();
            current = new IdentityHashMap<>();
            generation = now;
        }
    }

    private static int memory(Object value) {
        if (value instanceof Map<?, ?> map) {
            int size = 64;
            for (Map.Entry<?, ?> e : map.entrySet()) {
                size += ENTRY_OVERHEAD + memory(e.getKey()) + memory(e.getValue());
            }
            return size;
        }
        if (value instanceof Collection<?> values) {
            int size = 32 + 8 * values.size();
            for (Object v : values) {
                size += memory(v);
            }
            return size;
        }
        if (value instanceof String s) {
            return 48 + s.length();
        }
        if (value instanceof BinData data) {
            return 32 + data.getData().length;
        }
        return 24;
    }
}
