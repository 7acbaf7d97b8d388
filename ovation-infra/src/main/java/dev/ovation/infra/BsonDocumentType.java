package dev.ovation.infra;

import de.bwaldvogel.mongo.bson.Document;
import java.nio.ByteBuffer;
import org.h2.mvstore.WriteBuffer;
import org.h2.mvstore.type.BasicDataType;
import org.h2.mvstore.type.ObjectDataType;

/**
 * How the MongoDB-wire server's H2 file stores a collection's documents: as BSON
 * ({@link EncodedDocument}), instead of H2's default of Java serialization.
 *
 * <p>Java serialization of a document with many sub-documents (a vote log bucket of 500 votes) was
 * the largest CPU cost of the whole pipeline (bench/profile.sh); BSON is what MongoDB stores, and
 * costs a fraction of it. Each value is one tag byte, {@link #BSON}, then the document's BSON, which
 * carries its own length. A value is made when its collection stores the document
 * ({@link BsonH2Collection}); writing and reading it copy bytes.
 *
 * <p>Files written before hold Java-serialized documents, which H2's {@link ObjectDataType} wrote
 * with its own tag bytes (0 to 119, never {@link #BSON}): those are read as before, by that type, and
 * encoded, so an older data directory opens as it is, and each of its pages is stored as BSON the
 * next time it is written. A file written by this version cannot be read by an older one.
 */
final class BsonDocumentType extends BasicDataType<EncodedDocument> {

    /** The tag of a document stored as BSON: a byte H2's {@link ObjectDataType} never writes first. */
    static final byte BSON = (byte) 0x80;

    /** What a value costs on the heap beyond its bytes: the record and the array's header. */
    private static final int OVERHEAD = 48;

    private final ObjectDataType javaSerialized = new ObjectDataType();

    @Override
    public void write(WriteBuffer buff, EncodedDocument document) {
        buff.put(BSON).put(document.bson());
    }

    @Override
    public EncodedDocument read(ByteBuffer buff) {
        int at = buff.position();
        if (buff.get(at) != BSON) {
            return EncodedDocument.of((Document) javaSerialized.read(buff));
        }
        int length = Integer.reverseBytes(buff.getInt(at + 1));
        byte[] bson = new byte[length];
        buff.get(at + 1, bson);
        buff.position(at + 1 + length);
        return new EncodedDocument(bson);
    }

    @Override
    public EncodedDocument[] createStorage(int size) {
        return new EncodedDocument[size];
    }

    /** What H2 weighs its page cache and its pages by: the bytes kept. */
    @Override
    public int getMemory(EncodedDocument document) {
        return OVERHEAD + document.size();
    }
}
