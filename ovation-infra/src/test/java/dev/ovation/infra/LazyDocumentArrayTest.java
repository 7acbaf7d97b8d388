package dev.ovation.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.bson.ObjectId;
import de.bwaldvogel.mongo.wire.bson.BsonDecoder;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** A long array of sub-documents, read lazily: the same values as decoded at once, and its BSON kept as it came. */
class LazyDocumentArrayTest {

    private final DocumentDecoder decoder = new DocumentDecoder();

    private static Document entry(int i) {
        Document entry = new Document("id", "vote-" + i).append("contest", "default").append("band", "Motörhead")
                .append("album", "Ace of Spades").append("receivedAt", Instant.ofEpochMilli(1_700_000_000_000L + i))
                .append("status", "counted").append("partition", 2).append("offset", 1_000L + i)
                .append("ok", i % 2 == 0).append("reason", null).append("where", new Document("hall", List.of(1, 2.5)));
        return entry;
    }

    private static Document bucket(int entries) {
        List<Object> all = new ArrayList<>();
        for (int i = 0; i < entries; i++) {
            all.add(entry(i));
        }
        return new Document("_id", "votes/2/1000").append("n", entries).append("entries", all);
    }

    @Test
    void shouldReadALongArrayOfSubDocumentsLazilyWithTheValuesTheServersDecoderReads() {
        byte[] bson = DocumentEncoder.encode(bucket(200));

        Document read = decoder.decode(bson, 0);

        assertThat(read.get("entries")).isInstanceOf(LazyDocumentArray.class);
        assertThat(read).isEqualTo(BsonDecoder.decodeBson(Unpooled.wrappedBuffer(bson)));
        @SuppressWarnings("unchecked")
        List<Object> entries = (List<Object>) read.get("entries");
        assertThat(entries).hasSize(200);
        assertThat(entries.get(199)).isEqualTo(entry(199)).isSameAs(entries.get(199));
        assertThat(entries.subList(197, 200)).containsExactly((Object) entry(197), entry(198), entry(199));
        assertThat(DocumentEncoder.encode(read)).isEqualTo(bson);
    }

    @Test
    void shouldDecodeShortArraysAndArraysOfOtherValuesAtOnce() {
        Document shortOne = bucket(3);
        List<Object> mixed = new ArrayList<>((List<?>) bucket(200).get("entries"));
        mixed.add("a string among the sub-documents");
        List<Object> otherKinds = new ArrayList<>((List<?>) bucket(200).get("entries"));
        otherKinds.set(100, entry(100).append("oid", new ObjectId()));

        for (Document document : List.of(shortOne, new Document("entries", mixed), new Document("entries", otherKinds))) {
            Document read = decoder.decode(DocumentEncoder.encode(document), 0);
            assertThat(read.get("entries")).isInstanceOf(ArrayList.class);
            assertThat(read).isEqualTo(document);
        }
    }

    @Test
    void shouldDecodeAtOnceSubDocumentsWithNamesOtherThanAsciiOrManyFields() {
        // "Motörhead" as a name: two invalid byte strings can decode to the same name, which only a
        // comparison of the decoded names finds; 65 fields: too many to compare each with each
        List<Object> accented = new ArrayList<>((List<?>) bucket(200).get("entries"));
        accented.set(7, entry(7).append("Motörhead", 1));
        Document wide = new Document();
        IntStream.range(0, 65).forEach(i -> wide.append("f" + i, i));
        List<Object> wideOnes = new ArrayList<>(IntStream.range(0, 20).mapToObj(i -> wide).toList());

        for (Document document : List.of(new Document("entries", accented), new Document("entries", wideOnes))) {
            Document read = decoder.decode(DocumentEncoder.encode(document), 0);
            assertThat(read.get("entries")).isInstanceOf(ArrayList.class);
            assertThat(read).isEqualTo(document);
        }
    }

    @Test
    void shouldRefuseLengthsPastTheEndAsMalformedWhateverTheirSize() {
        byte[] bson = DocumentEncoder.encode(bucket(200));
        int array = indexOf(bson, "entries\0".getBytes(StandardCharsets.US_ASCII)) + "entries".length() + 1;
        int string = indexOf(bson, "vote-7\0".getBytes(StandardCharsets.US_ASCII)) - 4;

        for (int at : new int[] {array, string}) {
            byte[] broken = bson.clone();
            broken[at] = (byte) 0xf0;
            broken[at + 1] = (byte) 0xff;
            broken[at + 2] = (byte) 0xff;
            broken[at + 3] = (byte) 0x7f; // 2^31 - 16: past the end, and past Integer.MAX_VALUE once added
            assertThatThrownBy(() -> decoder.decode(broken, 0)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void shouldBeSerializedAsTheListItIs() throws Exception {
        Object entries = decoder.decode(DocumentEncoder.encode(bucket(200)), 0).get("entries");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(entries);
        }

        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            assertThat(in.readObject()).isInstanceOf(ArrayList.class).isEqualTo(bucket(200).get("entries"));
        }
    }

    @Test
    void shouldRefuseASubDocumentThatNamesAFieldTwiceAsTheServersDecoderDoes() {
        Document document = bucket(200);
        @SuppressWarnings("unchecked")
        List<Object> entries = (List<Object>) document.get("entries");
        entries.set(100, entry(100).append("bane", "a field renamed below"));
        byte[] bson = DocumentEncoder.encode(document);
        int name = indexOf(bson, "bane\0".getBytes(StandardCharsets.US_ASCII));

        bson[name + 3] = 'd';

        assertThatThrownBy(() -> decoder.decode(bson, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Document already contains field 'band'");
    }

    @Test
    void shouldRefuseAnArrayWhoseElementsRunPastItsEnd() {
        byte[] bson = DocumentEncoder.encode(bucket(200));
        // the last entry (type 3, named "199") says it is longer than what is left of the array
        int length = indexOf(bson, new byte[] {3, '1', '9', '9', 0}) + 5;

        bson[length + 1] = (byte) 0x7f;

        assertThatThrownBy(() -> decoder.decode(bson, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("illegal BSON object of ");
    }

    private static int indexOf(byte[] bytes, byte[] part) {
        for (int i = 0; i + part.length <= bytes.length; i++) {
            if (Arrays.equals(bytes, i, i + part.length, part, 0, part.length)) {
                return i;
            }
        }
        throw new AssertionError("not found");
    }

    @Test
    void shouldBecomeAnOrdinaryListOnceChangedAndBeStoredAsChanged() {
        Document read = decoder.decode(DocumentEncoder.encode(bucket(200)), 0);
        @SuppressWarnings("unchecked")
        List<Object> entries = (List<Object>) read.get("entries");

        entries.add(entry(200));
        entries.set(0, entry(1000));
        entries.remove(1);

        List<Object> expected = new ArrayList<>((List<?>) bucket(201).get("entries"));
        expected.set(0, entry(1000));
        expected.remove(1);
        assertThat(entries).isEqualTo(expected);
        assertThat(((LazyDocumentArray) entries).bson()).isNull();
        assertThat(decoder.decode(DocumentEncoder.encode(read), 0).get("entries")).isEqualTo(expected);
    }

    @Test
    void shouldGiveEveryThreadTheSameElements() {
        List<?> entries = (List<?>) decoder.decode(DocumentEncoder.encode(bucket(500)), 0).get("entries");

        List<CompletableFuture<List<Object>>> readers = IntStream.range(0, 4)
                .mapToObj(t -> CompletableFuture.supplyAsync(() -> {
                    List<Object> seen = new ArrayList<>();
                    for (int i = entries.size() - 1; i >= 0; i--) {
                        seen.add(entries.get(i));
                    }
                    return seen;
                })).toList();

        List<Object> first = readers.get(0).join();
        assertThat(first).hasSize(500);
        for (CompletableFuture<List<Object>> reader : readers) {
            List<Object> seen = reader.join();
            for (int i = 0; i < seen.size(); i++) {
                assertThat(seen.get(i)).isSameAs(first.get(i));
            }
        }
        assertThat(first.get(0)).isEqualTo(entry(499));
    }
}
