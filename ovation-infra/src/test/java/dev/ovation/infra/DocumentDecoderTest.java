package dev.ovation.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import de.bwaldvogel.mongo.bson.BinData;
import de.bwaldvogel.mongo.bson.BsonRegularExpression;
import de.bwaldvogel.mongo.bson.BsonTimestamp;
import de.bwaldvogel.mongo.bson.Decimal128;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.bson.MaxKey;
import de.bwaldvogel.mongo.bson.MinKey;
import de.bwaldvogel.mongo.bson.ObjectId;
import de.bwaldvogel.mongo.wire.bson.BsonDecoder;
import io.netty.buffer.Unpooled;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class DocumentDecoderTest {

    private final DocumentDecoder decoder = new DocumentDecoder();

    private static Document everyKind() {
        Document entry = new Document("id", "3f2c").append("contest", "default").append("band", "Motörhead")
                .append("album", "日本語 ✓ \uD83C\uDFB8").append("year", "").append("receivedAt", Instant.ofEpochMilli(-5))
                .append("partition", -2).append("offset", Long.MAX_VALUE);
        return new Document("_id", "votes/2/1200").append("nothing", null).append("yes", true)
                .append("no", false).append("ratio", -0.25).append("int", Integer.MIN_VALUE)
                .append("entries", List.of(entry, entry, List.of(1, "two", 3L)))
                .append("prev", new Document("défaut", 700L)).append("oid", new ObjectId())
                .append("binary", new BinData(new byte[] {0, 1, 2})).append("uuid", UUID.randomUUID())
                .append("decimal", Decimal128.fromNumber(new BigDecimal("12.50"))).append("ts", new BsonTimestamp(42L))
                .append("regex", new BsonRegularExpression("^votes/", "i")).append("max", MaxKey.getInstance())
                .append("min", MinKey.getInstance()).append("empty", new Document()).append("none", List.of())
                .append("long name of more than thirty-two bytes, not cached", "a value of more than thirty-two bytes too");
    }

    @Test
    void shouldDecodeWhatTheServersDecoderDecodesForEveryKindOfValue() {
        byte[] bson = DocumentEncoder.encode(everyKind());
        byte[] framed = new byte[bson.length + 7];
        System.arraycopy(bson, 0, framed, 3, bson.length);

        Document decoded = decoder.decode(framed, 3);

        // a regular expression has no equals(): compared apart
        Document servers = BsonDecoder.decodeBson(Unpooled.wrappedBuffer(bson));
        BsonRegularExpression regex = (BsonRegularExpression) decoded.remove("regex");
        servers.remove("regex");
        assertThat(decoded).isEqualTo(servers);
        assertThat(regex.getPattern()).isEqualTo("^votes/");
        assertThat(regex.getOptions()).isEqualTo("i");
        assertThat(decoder.position()).isEqualTo(3 + bson.length);
        assertThat(DocumentEncoder.encode(decoder.decode(framed, 3))).isEqualTo(bson);
        assertThat(((Document) decoded.get("prev")).get("défaut")).isInstanceOf(Long.class);
        assertThat(decoded.get("entries")).isInstanceOf(ArrayList.class);
    }

    @Test
    void shouldReuseTheStringsOfRepeatedNamesAndShortValues() {
        byte[] first = DocumentEncoder.encode(new Document("contest", "default").append("id", "x".repeat(36)));
        byte[] second = DocumentEncoder.encode(new Document("contest", "default").append("id", "x".repeat(36)));

        Document a = decoder.decode(first, 0);
        Document b = decoder.decode(second, 0);

        assertThat(b.keySet().iterator().next()).isSameAs(a.keySet().iterator().next());
        assertThat(b.get("contest")).isSameAs(a.get("contest"));
        assertThat(b.get("id")).isEqualTo(a.get("id")).isNotSameAs(a.get("id"));
    }

    @Test
    void shouldRefuseMalformedDocumentsAsTheServersDecoderDoes() {
        byte[] bson = DocumentEncoder.encode(new Document("a", 1).append("b", 2));
        byte[] duplicate = bson.clone();
        duplicate[Arrays.asList(toObjects(bson)).lastIndexOf((byte) 'b')] = 'a';
        byte[] truncated = Arrays.copyOf(bson, bson.length - 3);
        byte[] badBoolean = DocumentEncoder.encode(new Document("ok", true));
        badBoolean[badBoolean.length - 2] = 7;

        assertThatThrownBy(() -> decoder.decode(duplicate, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Document already contains field 'a'");
        assertThatThrownBy(() -> decoder.decode(truncated, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("Too few bytes to read");
        assertThatThrownBy(() -> decoder.decode(badBoolean, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Illegal boolean value:7");
    }

    private static Byte[] toObjects(byte[] bytes) {
        Byte[] objects = new Byte[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            objects[i] = bytes[i];
        }
        return objects;
    }
}
