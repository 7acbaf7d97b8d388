package dev.ovation.infra;

import static org.assertj.core.api.Assertions.assertThat;

import de.bwaldvogel.mongo.bson.Document;
import org.junit.jupiter.api.Test;

class DecodedDocumentsTest {

    private static Document document(String id) {
        return new Document("_id", id).append("filler", "x".repeat(100));
    }

    @Test
    void shouldDropTheLeastRecentlyUsedPastItsBudget() {
        // Given room for two of these documents, as their heap is estimated
        Document a = document("a");
        EncodedDocument encoded = EncodedDocument.of(a);
        DecodedDocuments decoded = new DecodedDocuments(2L * DecodedDocuments.HEAP_PER_BSON_BYTE * encoded.size());
        decoded.put("a", a, encoded);
        decoded.put("b", document("b"), EncodedDocument.of(document("b")));

        // When a is read, then a third is kept
        assertThat(decoded.get("a")).isSameAs(a);
        decoded.put("c", document("c"), EncodedDocument.of(document("c")));

        // Then b, used least recently, is dropped
        assertThat(decoded.get("b")).isNull();
        assertThat(decoded.get("a")).isSameAs(a);
        assertThat(decoded.get("c")).isEqualTo(document("c"));
    }

    @Test
    void shouldReplaceAndRemoveADocumentAtItsPosition() {
        Document a = document("a");
        DecodedDocuments decoded = new DecodedDocuments(1L << 20);
        decoded.put("a", a, EncodedDocument.of(a));
        Document changed = new Document(a).append("more", 1);

        decoded.put("a", changed, EncodedDocument.of(changed));
        assertThat(decoded.get("a")).isSameAs(changed);

        decoded.remove("a");
        assertThat(decoded.get("a")).isNull();
    }
}
