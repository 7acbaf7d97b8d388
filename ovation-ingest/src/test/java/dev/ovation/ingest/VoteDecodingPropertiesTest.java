package dev.ovation.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.ovation.model.InvalidVoteException;
import dev.ovation.model.Vote;
import dev.ovation.model.VoteEnvelope;
import dev.ovation.model.VoteFields;
import dev.ovation.model.VoteValidator;
import java.nio.charset.StandardCharsets;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * Property-based fuzzing (jqwik) of what reads a vote from a client: the HTTP body decoders, the
 * protobuf decoders and the validator. Whatever the input, the answer is a valid vote or a refusal
 * naming a field; nothing else escapes, and every vote that passes keeps the rules. The corpus of
 * inputs found hostile is committed in {@code hostile/bodies.txt} and replayed by
 * {@link HostileBodiesTest}.
 */
class VoteDecodingPropertiesTest {

    private final VoteValidator validator = new VoteValidator();

    @Property(tries = 2_000)
    void anyBytesAsOneVoteAreAVoteOrARefusal(@ForAll byte[] body) {
        for (boolean seedShape : List.of(false, true)) {
            checkOne(body, seedShape);
        }
    }

    @Property(tries = 2_000)
    void anyJsonAsOneVoteIsAVoteOrARefusal(@ForAll("jsonValues") String json) {
        checkOne(json.getBytes(StandardCharsets.UTF_8), false);
        checkOne(json.getBytes(StandardCharsets.UTF_8), true);
    }

    @Property(tries = 1_000)
    void anyJsonAsABatchIsVotesAndRefusalsOrARefusal(@ForAll("jsonValues") String json) {
        List<Object> read;
        try {
            read = VoteHttpApi.readBatch(("[" + json + "," + json + "]").getBytes(StandardCharsets.UTF_8));
        } catch (InvalidVoteException refused) {
            assertThat(refused.field()).isNotNull();
            assertThat(refused.getMessage()).isNotBlank();
            return;
        }
        for (Object item : read) {
            if (item instanceof VoteFields fields) {
                validOrRefused(fields);
            } else {
                assertThat(item).isInstanceOf(InvalidVoteException.class);
            }
        }
    }

    @Property(tries = 2_000)
    void anyBytesAsAGrpcVoteAreAVoteOrARefusal(@ForAll byte[] message) {
        dev.ovation.proto.v1.Vote vote; // qualified: the imported Vote is the domain record
        try {
            vote = dev.ovation.proto.v1.Vote.parseFrom(message); // qualified: the imported Vote is the domain record
        } catch (InvalidProtocolBufferException refusedByGrpc) {
            return;
        }
        validOrRefused(VoteGrpcService.fields(vote));
    }

    @Property(tries = 2_000)
    void anyBytesInTheTopicAreAnEnvelopeOrUndecodable(@ForAll byte[] record) {
        try {
            VoteEnvelope envelope = VoteEnvelope.decode(record);
            assertThat(envelope.vote().band()).isNotEmpty();
            assertThat(envelope.vote().album()).isNotEmpty();
        } catch (InvalidProtocolBufferException undecodable) {
            // what the counter sets aside
        }
    }

    @Property(tries = 1_000)
    void everyValidVoteCrossesTheTopicUnchanged(@ForAll("jsonValues") String ignored,
                                                @ForAll("names") String band, @ForAll("names") String album) {
        Vote vote;
        try {
            vote = validator.validate(new VoteFields(null, null, band, album, null, null, null));
        } catch (InvalidVoteException refused) {
            return;
        }
        try {
            assertThat(VoteEnvelope.decode(new VoteEnvelope(vote, "http", 0, 0).encode()).vote()).isEqualTo(vote);
        } catch (InvalidProtocolBufferException e) {
            throw new AssertionError(e);
        }
    }

    private void checkOne(byte[] body, boolean seedShape) {
        VoteFields fields;
        try {
            fields = VoteHttpApi.readVote(body, seedShape);
        } catch (InvalidVoteException refused) {
            // the field at fault as the client named it (an unknown key may even be "")
            assertThat(refused.field()).isNotNull();
            assertThat(refused.getMessage()).isNotBlank();
            return;
        }
        validOrRefused(fields);
    }

    private void validOrRefused(VoteFields fields) {
        Vote vote;
        try {
            vote = validator.validate(fields);
        } catch (InvalidVoteException refused) {
            assertThat(refused.field()).isIn("id", "contest", "band", "album", "year", "rank", "voter", "name");
            return;
        }
        assertThat(vote.id()).matches("[A-Za-z0-9._:-]{1,128}");
        assertThat(vote.contest()).matches("[a-z0-9][a-z0-9_-]{0,63}");
        for (String text : List.of(vote.band(), vote.album())) {
            assertThat(text).isNotBlank().hasSizeLessThanOrEqualTo(VoteValidator.MAX_NAME_LENGTH).isEqualTo(text.strip());
            assertThat(text.chars().noneMatch(Character::isISOControl)).isTrue();
            assertThat(text.codePoints().noneMatch(c -> c >= Character.MIN_SURROGATE && c <= Character.MAX_SURROGATE)).isTrue();
        }
        for (String text : List.of(vote.year(), vote.rank(), vote.voter())) {
            assertThat(text).hasSizeLessThanOrEqualTo(VoteValidator.MAX_SHORT_LENGTH);
        }
    }

    /** Text that stresses names: any Unicode, control characters, surrogates, long runs. */
    @Provide
    Arbitrary<String> names() {
        return Arbitraries.oneOf(
                Arbitraries.strings().ofMaxLength(250),
                Arbitraries.strings().withCharRange('\u0000', '\u001f').ofMaxLength(5),
                Arbitraries.strings().withCharRange('\ud800', '\udfff').ofMaxLength(3),
                Arbitraries.strings().alpha().ofMinLength(195).ofMaxLength(205),
                Arbitraries.of("Queen", " Queen ", "", "   ", "<script>", "Alux Nahual"));
    }

    /** JSON values, mostly objects with a vote's fields among others, nested up to 3 deep, of every type. */
    @Provide
    Arbitrary<String> jsonValues() {
        return value(3);
    }

    private Arbitrary<String> value(int depth) {
        if (depth == 0) {
            return scalar();
        }
        return Arbitraries.frequencyOf(
                Tuple.of(2, scalar()),
                Tuple.of(5, object(depth - 1)),
                Tuple.of(1, array(depth - 1)));
    }

    private Arbitrary<String> scalar() {
        return Arbitraries.oneOf(
                names().map(VoteDecodingPropertiesTest::quoted),
                Arbitraries.integers().map(String::valueOf),
                Arbitraries.doubles().map(String::valueOf),
                Arbitraries.of("true", "false", "null", "1e999999", "-0", "\"\\u0000\"", "\"\\ud800\"", "NaN", "[", "{"));
    }

    private Arbitrary<String> object(int depth) {
        Arbitrary<String> key = Arbitraries.of("id", "contest", "band", "album", "year", "rank", "voter", "name",
                "x", "band", "");
        Arbitrary<String> member = Combinators.combine(key, value(depth)).as((k, v) -> quoted(k) + ":" + v);
        return member.list().ofMaxSize(8).map(members -> "{" + String.join(",", members) + "}");
    }

    private Arbitrary<String> array(int depth) {
        return value(depth).list().ofMaxSize(4).map(items -> "[" + String.join(",", items) + "]");
    }

    private static String quoted(String text) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20 || Character.isSurrogate(c)) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.append('"').toString();
    }
}
