package dev.ovation.infra;

import static org.assertj.core.api.Assertions.assertThat;

import de.bwaldvogel.mongo.bson.BinData;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.bson.ObjectId;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.h2.mvstore.WriteBuffer;
import org.h2.mvstore.type.ObjectDataType;
import org.junit.jupiter.api.Test;

class BsonDocumentTypeTest {

    /** The store's version, which each commit moves on. */
    private final AtomicLong version = new AtomicLong(1);
    private final BsonDocumentType type = new BsonDocumentType(version::get);

    /** A vote log bucket's shape: strings, numbers of both widths, dates, a list of sub-documents, binary, null. */
    private static Document bucket() {
        List<Object> entries = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            entries.add(new Document("id", "v" + i).append("contest", "default").append("band", "Queen")
                    .append("receivedAt", Instant.ofEpochMilli(1_700_000_000_000L + i)).append("partition", 2)
                    .append("offset", 1_200L + i).append("year", null));
        }
        return new Document("_id", "votes/2/1200").append("p", 2).append("first", 1_200L)
                .append("countedAt", Instant.ofEpochMilli(1_700_000_000_500L)).append("contests", List.of("default"))
                .append("prev", new Document("default", 700L)).append("ok", true).append("ratio", 0.5)
                .append("oid", new ObjectId()).append("packed", new BinData(new byte[] {1, 2, 3}))
                .append("entries", entries);
    }

    @Test
    void shouldReadBackTheDocumentsItWrote() {
        // Given two documents written one after the other, as in a page
        Document first = bucket();
        Document second = new Document("_id", "votes/0").append("next", 12L);
        WriteBuffer buff = new WriteBuffer();
        type.write(buff, new Object[] {first, second}, 2);

        // When they are read back
        ByteBuffer written = buff.getBuffer().flip();
        Document[] read = type.createStorage(2);
        type.read(written, read, 2);

        // Then each is equal to what was written, field by field and type by type, and stored as BSON
        assertThat(read).containsExactly(first, second);
        assertThat(read[0].get("p")).isInstanceOf(Integer.class);
        assertThat(read[0].get("first")).isInstanceOf(Long.class);
        assertThat(written.hasRemaining()).isFalse();
        assertThat(written.get(0)).isEqualTo(BsonDocumentType.BSON);
    }

    @Test
    void shouldReadDocumentsThatH2SerializedWithJava() {
        // Given a document written as H2's default type writes it, then one written as BSON after it
        Document old = bucket();
        Document current = new Document("_id", "votes/1").append("next", 3L);
        WriteBuffer buff = new WriteBuffer();
        new ObjectDataType().write(buff, old);
        type.write(buff, current);

        // When both are read with the BSON type
        ByteBuffer written = buff.getBuffer().flip();
        Document[] read = type.createStorage(2);
        type.read(written, read, 2);

        // Then the old one reads as before, and the new one follows it
        assertThat(written.get(0)).isNotEqualTo(BsonDocumentType.BSON);
        assertThat(read).containsExactly(old, current);
        assertThat(written.hasRemaining()).isFalse();
    }

    @Test
    void shouldWriteTheEncodingMadeWhenTheDocumentWasStoredForTwoCommits() {
        // Given a document encoded when its collection stored it, then changed behind the type's back
        Document document = new Document("_id", "votes/0").append("next", 12L);
        byte[] stored = type.encode(document);
        document.put("next", 13L);

        // When the next two commits write it, and a third after a commit that did not
        ByteBuffer first = written(document);
        version.incrementAndGet();
        ByteBuffer second = written(document);
        version.addAndGet(2);
        ByteBuffer third = written(document);

        // Then the first two write the encoding made when it was stored, the third encodes it anew
        assertThat(decoded(first)).isEqualTo(new Document("_id", "votes/0").append("next", 12L));
        assertThat(decoded(second)).isEqualTo(decoded(first));
        assertThat(first.remaining()).isEqualTo(1 + stored.length);
        assertThat(decoded(third)).isEqualTo(document);
    }

    @Test
    void shouldEncodeAgainADocumentItWasToldChanged() {
        Document document = new Document("_id", "votes/0").append("next", 12L);
        type.encode(document);
        document.put("next", 13L);

        type.forget(document);

        assertThat(decoded(written(document))).isEqualTo(document);
        assertThat(type.sizeOf(document)).isEqualTo(type.encode(new Document(document)).length);
    }

    private ByteBuffer written(Document document) {
        WriteBuffer buff = new WriteBuffer();
        type.write(buff, document);
        return buff.getBuffer().flip();
    }

    private Document decoded(ByteBuffer written) {
        return type.read(written.duplicate());
    }

    @Test
    void shouldWeighADocumentByWhatItHolds() {
        Document small = new Document("_id", "votes/0").append("next", 12L);

        assertThat(type.getMemory(bucket())).isGreaterThan(type.getMemory(small));
        assertThat(type.getMemory(small)).isBetween(100, 400);
    }
}
