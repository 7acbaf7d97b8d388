package dev.ovation.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class VoteJsonTest {

    private final ObjectMapper json = new ObjectMapper();

    @Test
    void shouldReadTheSeedShape() throws Exception {
        JsonNode node = json.readTree("{\"name\":\"The Beatles\",\"album\":\"Abbey Road\",\"year\":\"2024\",\"rank\":\"1\"}");

        assertThat(VoteJson.readSeed(node)).isEqualTo(VoteFields.ofSeed("The Beatles", "Abbey Road", "2024", "1"));
    }

    @Test
    void shouldReadOvationShapeWithNullsAsAbsent() throws Exception {
        JsonNode node = json.readTree("{\"band\":\"Queen\",\"album\":\"Jazz\",\"voter\":null}");

        assertThat(VoteJson.readOvation(node)).isEqualTo(new VoteFields(null, null, "Queen", "Jazz", null, null, null));
    }

    @Test
    void shouldRejectNumbersWhereStringsAreExpected() throws Exception {
        JsonNode node = json.readTree("{\"band\":\"Queen\",\"album\":\"Jazz\",\"year\":2024}");

        assertThatThrownBy(() -> VoteJson.readOvation(node)).hasMessage("year must be a string, not number");
    }

    @Test
    void shouldRejectUnknownFields() throws Exception {
        JsonNode node = json.readTree("{\"name\":\"Queen\",\"album\":\"Jazz\"}");

        assertThatThrownBy(() -> VoteJson.readOvation(node))
                .hasMessage("unknown field 'name'; a vote has: id, contest, band, album, year, rank, voter");
    }

    @Test
    void shouldRejectNonObjects() throws Exception {
        assertThatThrownBy(() -> VoteJson.readOvation(json.readTree("[1]")))
                .hasMessage("a vote must be a JSON object, not array");
    }

    @Test
    void shouldNameTheSeedBandFieldWhenMissing() throws Exception {
        assertThatThrownBy(() -> VoteJson.readSeed(json.readTree("{\"album\":\"Jazz\"}")))
                .isInstanceOf(InvalidVoteException.class)
                .extracting(e -> ((InvalidVoteException) e).field()).isEqualTo("name");
    }
}
