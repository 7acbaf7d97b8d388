package dev.ovation.infra;

import static org.assertj.core.api.Assertions.assertThat;

import de.bwaldvogel.mongo.bson.BinData;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.bson.ObjectId;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.h2.mvstore.WriteBuffer;
import org.h2.mvstore.type.ObjectDataType;
import org.junit.jupiter.api.Test;

class BsonDocumentTypeTest {

    private final BsonDocumentType type = new BsonDocumentType();

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
        type.write(buff, new Object[] {EncodedDocument.of(first), EncodedDocument.of(second)}, 2);

        // When they are read back
        ByteBuffer written = buff.getBuffer().flip();
        EncodedDocument[] read = type.createStorage(2);
        type.read(written, read, 2);

        // Then each is the same BSON, decoding to what was written, field by field and type by type
        assertThat(written.get(0)).isEqualTo(BsonDocumentType.BSON);
        assertThat(written.hasRemaining()).isFalse();
        assertThat(read[0].bson()).isEqualTo(DocumentEncoder.encode(first));
        assertThat(read[0].decode()).isEqualTo(first);
        assertThat(read[0].decode().get("p")).isInstanceOf(Integer.class);
        assertThat(read[0].decode().get("first")).isInstanceOf(Long.class);
        assertThat(read[1].decode()).isEqualTo(second);
    }

    @Test
    void shouldReadDocumentsThatH2SerializedWithJava() {
        // Given a document written as H2's default type writes it, then one written as BSON after it
        Document old = bucket();
        Document current = new Document("_id", "votes/1").append("next", 3L);
        WriteBuffer buff = new WriteBuffer();
        new ObjectDataType().write(buff, old);
        type.write(buff, EncodedDocument.of(current));

        // When both are read with the BSON type
        ByteBuffer written = buff.getBuffer().flip();
        EncodedDocument[] read = type.createStorage(2);
        type.read(written, read, 2);

        // Then the old one reads as before, encoded to be written as BSON, and the new one follows it
        assertThat(written.get(0)).isNotEqualTo(BsonDocumentType.BSON);
        assertThat(read[0].decode()).isEqualTo(old);
        assertThat(read[0].bson()).isEqualTo(DocumentEncoder.encode(old));
        assertThat(read[1].decode()).isEqualTo(current);
        assertThat(written.hasRemaining()).isFalse();
    }

    @Test
    void shouldWeighADocumentByItsBytes() {
        EncodedDocument document = EncodedDocument.of(bucket());

        assertThat(type.getMemory(document)).isEqualTo(48 + document.size());
    }
}
