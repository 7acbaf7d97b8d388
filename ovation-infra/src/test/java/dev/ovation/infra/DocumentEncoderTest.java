package dev.ovation.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import de.bwaldvogel.mongo.backend.Missing;
import de.bwaldvogel.mongo.bson.BinData;
import de.bwaldvogel.mongo.bson.BsonTimestamp;
import de.bwaldvogel.mongo.bson.Decimal128;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.bson.MaxKey;
import de.bwaldvogel.mongo.bson.ObjectId;
import de.bwaldvogel.mongo.wire.bson.BsonEncoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class DocumentEncoderTest {

    private static byte[] serversOwn(Document document) {
        ByteBuf buffer = Unpooled.buffer();
        BsonEncoder.encodeDocument(document, buffer);
        return ByteBufUtil.getBytes(buffer);
    }

    @Test
    void shouldWriteTheSameBytesAsTheServersEncoderForEveryKindOfValue() {
        Document entry = new Document("id", "3f2c").append("contest", "default").append("band", "Motörhead")
                .append("album", "日本語 ✓ \uD83C\uDFB8").append("year", "").append("receivedAt", Instant.ofEpochMilli(-5))
                .append("partition", -2).append("offset", Long.MAX_VALUE);
        Document document = new Document("_id", "votes/2/1200").append("nothing", null).append("yes", true)
                .append("no", false).append("ratio", -0.25).append("nan", Double.NaN).append("int", Integer.MIN_VALUE)
                .append("entries", List.of(entry, entry, List.of(1, "two", 3L)))
                .append("set", new LinkedHashSet<>(List.of("a", "b"))).append("map", new TreeMap<>(Map.of("z", 1, "y", 2)))
                .append("prev", new Document("défaut", 700L)).append("oid", new ObjectId())
                .append("binary", new BinData(new byte[] {0, 1, 2})).append("uuid", UUID.randomUUID())
                .append("decimal", Decimal128.fromNumber(new BigDecimal("12.50"))).append("ts", new BsonTimestamp(42L))
                .append("max", MaxKey.getInstance()).append("empty", new Document()).append("none", List.of())
                .append("ключ", "значение");

        assertThat(DocumentEncoder.encode(document)).isEqualTo(serversOwn(document));
        assertThat(DocumentEncoder.encode(new Document())).isEqualTo(serversOwn(new Document()));
    }

    @Test
    void shouldGrowPastItsFirstBufferForALargeDocument() {
        Document document = new Document("_id", "big");
        for (int i = 0; i < 2_000; i++) {
            document.append("field" + i, "x".repeat(i % 50));
        }

        assertThat(DocumentEncoder.encode(document)).isEqualTo(serversOwn(document));
    }

    @Test
    void shouldRefuseAMissingValueAsTheServerDoes() {
        Document document = new Document("_id", "x").append("gone", Missing.getInstance());

        assertThatThrownBy(() -> DocumentEncoder.encode(document)).isInstanceOf(IllegalArgumentException.class);
    }
}
