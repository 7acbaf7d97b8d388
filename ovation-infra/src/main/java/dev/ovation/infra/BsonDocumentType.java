package dev.ovation.infra;

import de.bwaldvogel.mongo.bson.BinData;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.wire.bson.BsonDecoder;
import de.bwaldvogel.mongo.wire.bson.BsonEncoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.nio.ByteBuffer;
import java.util.Collection;
import java.util.Map;
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
 * <p>Files written before hold Java-serialized documents, which H2's {@link ObjectDataType} wrote
 * with its own tag bytes (0 to 119, never {@link #BSON}): those are read as before, by that type, so
 * an older data directory opens as it is, and each of its pages is stored as BSON the next time it
 * is written. A file written by this version cannot be read by an older one.
 */
final class BsonDocumentType extends BasicDataType<Document> {

    /** The tag of a document stored as BSON: a byte H2's {@link ObjectDataType} never writes first. */
    static final byte BSON = (byte) 0x80;

    /** What a map entry costs beyond its key and value on the heap, roughly: a LinkedHashMap entry. */
    private static final int ENTRY_OVERHEAD = 48;

    private final ObjectDataType javaSerialized = new ObjectDataType();

    @Override
    public void write(WriteBuffer buff, Document document) {
        ByteBuf bson = ByteBufAllocator.DEFAULT.heapBuffer(1_024);
        try {
            BsonEncoder.encodeDocument(document, bson);
            buff.put(BSON).put(bson.array(), bson.arrayOffset() + bson.readerIndex(), bson.readableBytes());
        } finally {
            bson.release();
        }
    }

    @Override
    public Document read(ByteBuffer buff) {
        int at = buff.position();
        if (buff.get(at) != BSON) {
            return (Document) javaSerialized.read(buff);
        }
        int length = Integer.reverseBytes(buff.getInt(at + 1));
        Document document = BsonDecoder.decodeBson(Unpooled.wrappedBuffer(buff.slice(at + 1, length)));
        buff.position(at + 1 + length);
        return document;
    }

    @Override
    public Document[] createStorage(int size) {
        return new Document[size];
    }

    /** The document's heap size, estimated: what H2 weighs its cache and its pages by. */
    @Override
    public int getMemory(Document document) {
        return memory(document);
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
