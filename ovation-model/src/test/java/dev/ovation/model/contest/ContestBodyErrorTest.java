package dev.ovation.model.contest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Contest bodies the admin API cannot read get the field at fault and what to send, in plain words. */
class ContestBodyErrorTest {

    @Test
    void shouldNameAMissingId() {
        assertThat(error("{\"title\":\"The finals\"}"))
                .isEqualTo(new ContestBodyError("id", "id is required"));
    }

    @Test
    void shouldNameAMisspelledFieldAndListTheFields() {
        assertThat(error("{\"id\":\"finals\",\"votesperVoter\":2}")).isEqualTo(new ContestBodyError("votesperVoter",
                "unknown field 'votesperVoter'; the fields here are id, title, catalog, opensAt, closesAt, state,"
                        + " votesPerVoter, limits"));
    }

    @Test
    void shouldSayWhatATimeLooksLike() {
        assertThat(error("{\"id\":\"finals\",\"opensAt\":\"tomorrow\"}")).isEqualTo(new ContestBodyError("opensAt",
                "opensAt must be a date and time in ISO-8601 with its offset, such as 2026-12-24T20:00:00Z, not 'tomorrow'"));
    }

    @Test
    void shouldSayANumberIsExpected() {
        assertThat(error("{\"id\":\"finals\",\"votesPerVoter\":\"two\"}")).isEqualTo(new ContestBodyError(
                "votesPerVoter", "votesPerVoter must be a whole number, not 'two'"));
    }

    @Test
    void shouldNameANestedField() {
        assertThat(error("{\"id\":\"finals\",\"catalog\":{\"Queen\":\"Jazz\"}}").field()).isEqualTo("catalog.Queen");
        assertThat(error("{\"id\":\"finals\",\"catalog\":{\"Queen\":\"Jazz\"}}").message())
                .isEqualTo("catalog.Queen must be a list");
    }

    @Test
    void shouldSayTheBodyIsNotJson() {
        assertThat(error("{\"id\":")).isEqualTo(new ContestBodyError("body",
                "the body is not JSON (line 1, column 7): send a JSON object such as"
                        + " {\"id\":\"finals\",\"title\":\"The finals\"}"));
        assertThat(error("[1,2]")).isEqualTo(new ContestBodyError("body", "send a JSON object, not a list"));
    }

    @Test
    void shouldNeverShowAClassName() {
        for (String body : new String[]{"{}", "{\"id\":\"a\",\"limits\":3}", "\"x\"", "{\"id\":\"a\",\"catalog\":[]}",
                "{\"id\":\"a\",\"limits\":{\"perVoter\":{\"perMinute\":\"x\"}}}"}) {
            ContestBodyError error = error(body);
            assertThat(error.message()).as(body).doesNotContainPattern("[a-z]+\\.[a-z]+\\.[A-Z]")
                    .doesNotContain("Exception", "Cannot construct", "java.", "dev.ovation");
        }
    }

    private static ContestBodyError error(String body) {
        try {
            ContestFile.JSON.readValue(body.getBytes(StandardCharsets.UTF_8), Contest.class);
        } catch (IOException e) {
            return ContestBodyError.of(e);
        }
        throw new AssertionError("read as a contest: " + body);
    }
}
