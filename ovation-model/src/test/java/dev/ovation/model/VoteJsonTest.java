package dev.ovation.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
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

    @Test
    void shouldReadAVoteStraightFromAParser() throws Exception {
        try (JsonParser parser = parserAtFirstToken("{\"id\":\"v-1\",\"band\":\" Queen \",\"album\":\"Jazz\",\"rank\":null}")) {
            assertThat(VoteJson.readOvation(parser))
                    .isEqualTo(new VoteFields("v-1", null, " Queen ", "Jazz", null, null, null));
            assertThat(parser.currentToken()).isEqualTo(JsonToken.END_OBJECT);
            assertThat(parser.nextToken()).isNull();
        }
    }

    @Test
    void shouldRejectAFieldGivenTwice() throws Exception {
        try (JsonParser parser = parserAtFirstToken("{\"band\":\"Queen\",\"album\":\"Jazz\",\"band\":\"Muse\"}")) {
            assertThatThrownBy(() -> VoteJson.readOvation(parser))
                    .isInstanceOfSatisfying(InvalidVoteException.class, e -> assertThat(e.field()).isEqualTo("band"))
                    .hasMessage("field 'band' is given twice");
        }
    }

    @Test
    void shouldNameTheFieldOfANestedValue() throws Exception {
        try (JsonParser parser = parserAtFirstToken("{\"band\":{\"name\":\"Queen\"},\"album\":true}")) {
            assertThatThrownBy(() -> VoteJson.readOvation(parser)).hasMessage("band must be a string, not object");
        }
    }

    @Test
    void shouldConsumeARefusedVoteWholeSoThatTheNextOneOfAnArrayIsRead() throws Exception {
        List<Object> read = new ArrayList<>();
        try (JsonParser parser = parserAtFirstToken(
                "[{\"band\":[\"Queen\"],\"x\":{\"y\":1},\"album\":\"Jazz\"},[1,[2]],{\"band\":\"Muse\",\"album\":\"Drones\"}]")) {
            while (parser.nextToken() != JsonToken.END_ARRAY) {
                try {
                    read.add(VoteJson.readOvation(parser));
                } catch (InvalidVoteException e) {
                    read.add(e.field() + ": " + e.getMessage());
                }
            }
        }

        assertThat(read).containsExactly(
                "band: band must be a string, not array",
                "body: a vote must be a JSON object, not array",
                new VoteFields(null, null, "Muse", "Drones", null, null, null));
    }

    @Test
    void shouldReportMalformedJsonBeforeAFieldError() throws Exception {
        try (JsonParser parser = parserAtFirstToken("{\"band\":1,\"album\":")) {
            assertThatThrownBy(() -> VoteJson.readOvation(parser)).isInstanceOf(JsonParseException.class);
        }
    }

    @Test
    void shouldReadTheSeedShapeFromAParserAndNameAMissingBand() throws Exception {
        try (JsonParser parser = parserAtFirstToken("{\"name\":\"The Beatles\",\"album\":\"Abbey Road\",\"year\":\"2024\"}")) {
            assertThat(VoteJson.readSeed(parser)).isEqualTo(VoteFields.ofSeed("The Beatles", "Abbey Road", "2024", null));
        }
        try (JsonParser parser = parserAtFirstToken("{\"name\":\" \",\"album\":\"Abbey Road\"}")) {
            assertThatThrownBy(() -> VoteJson.readSeed(parser))
                    .hasMessage("name (the band) is required and must not be empty");
        }
    }

    private JsonParser parserAtFirstToken(String text) throws Exception {
        JsonParser parser = json.getFactory().createParser(text);
        parser.nextToken();
        return parser;
    }
}
