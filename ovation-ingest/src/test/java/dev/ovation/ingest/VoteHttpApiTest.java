package dev.ovation.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ovation.model.InvalidVoteException;
import dev.ovation.model.VoteFields;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** How the HTTP API decodes bodies, before anything is validated or published. */
class VoteHttpApiTest {

    @Test
    void shouldDecodeOneVoteStraightIntoItsFields() throws Exception {
        assertThat(VoteHttpApi.readVote(bytes(" {\"band\":\"Queen\",\"album\":\"Jazz\",\"voter\":null}\n"), false))
                .isEqualTo(new VoteFields(null, null, "Queen", "Jazz", null, null, null));
    }

    @Test
    void shouldDecodeTheSeedShape() throws Exception {
        assertThat(VoteHttpApi.readVote(bytes("{\"name\":\"The Beatles\",\"album\":\"Abbey Road\",\"rank\":\"1\"}"), true))
                .isEqualTo(VoteFields.ofSeed("The Beatles", "Abbey Road", null, "1"));
    }

    @Test
    void shouldRejectAnEmptyBody() {
        assertThatThrownBy(() -> VoteHttpApi.readVote(new byte[0], false))
                .hasMessage("the request body is empty; send a JSON vote");
    }

    @Test
    void shouldReportMalformedJsonAsTheBodyEvenAfterABadField() {
        assertThatThrownBy(() -> VoteHttpApi.readVote(bytes("{\"year\":1978,\"band\":"), false))
                .isInstanceOfSatisfying(InvalidVoteException.class, e -> assertThat(e.field()).isEqualTo("body"))
                .hasMessageStartingWith("the body is not valid JSON: ");
    }

    @Test
    void shouldRejectContentAfterTheVote() {
        assertThatThrownBy(() -> VoteHttpApi.readVote(bytes("{\"band\":\"Queen\",\"album\":\"Jazz\"}{}"), false))
                .isInstanceOfSatisfying(InvalidVoteException.class, e -> assertThat(e.field()).isEqualTo("body"))
                .hasMessage("the body is not valid JSON: more content after the first value");
    }

    @Test
    void shouldDecodeEachVoteOfABatchOrTheReasonItIsRefused() throws Exception {
        List<Object> items = VoteHttpApi.readBatch(bytes(
                "[{\"band\":\"Queen\",\"album\":\"Jazz\"},{\"band\":\"Queen\",\"genre\":{\"x\":[1]}},\"Muse\"]"));

        assertThat(items).hasSize(3);
        assertThat(items.get(0)).isEqualTo(new VoteFields(null, null, "Queen", "Jazz", null, null, null));
        assertThat(items.get(1)).isInstanceOfSatisfying(InvalidVoteException.class,
                e -> assertThat(e.field()).isEqualTo("genre"));
        assertThat(items.get(2)).isInstanceOfSatisfying(InvalidVoteException.class,
                e -> assertThat(e.getMessage()).isEqualTo("a vote must be a JSON object, not string"));
    }

    @Test
    void shouldRejectABatchThatIsNotAnArray() {
        assertThatThrownBy(() -> VoteHttpApi.readBatch(bytes("{\"band\":\"Queen\",\"album\":\"Jazz\"}")))
                .hasMessage("a batch must be a JSON array of votes");
        assertThatThrownBy(() -> VoteHttpApi.readBatch(bytes("{\"band\":")))
                .hasMessageStartingWith("the body is not valid JSON: ");
    }

    @Test
    void shouldCountEveryItemOfAnOversizedBatch() {
        String votes = IntStream.range(0, 1_234).mapToObj(i -> "{\"band\":\"b\",\"album\":\"a\"}")
                .collect(Collectors.joining(",", "[", "]"));

        assertThatThrownBy(() -> VoteHttpApi.readBatch(bytes(votes)))
                .hasMessage("a batch holds at most 1000 votes; this one has 1234");
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
