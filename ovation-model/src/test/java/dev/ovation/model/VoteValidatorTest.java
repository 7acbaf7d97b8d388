package dev.ovation.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class VoteValidatorTest {

    private final VoteValidator validator = new VoteValidator(() -> "generated-1");

    @Test
    void shouldFillIdAndDefaultContestWhenAbsent() throws InvalidVoteException {
        Vote vote = validator.validate(VoteFields.ofSeed("The Beatles", "Abbey Road", "2024", "1"));

        assertThat(vote).isEqualTo(new Vote("generated-1", "default", "The Beatles", "Abbey Road", "2024", "1", ""));
    }

    @Test
    void shouldKeepGivenIdAndContestAndTrimText() throws InvalidVoteException {
        Vote vote = validator.validate(new VoteFields("v-42", "finals-2024", "  Pink Floyd ", "Animals", null, null, "+50255501234"));

        assertThat(vote).isEqualTo(new Vote("v-42", "finals-2024", "Pink Floyd", "Animals", "", "", "+50255501234"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   "})
    void shouldRejectEmptyBand(String band) {
        assertThatThrownBy(() -> validator.validate(new VoteFields(null, null, band, "Abbey Road", null, null, null)))
                .isInstanceOf(InvalidVoteException.class)
                .hasMessage("band is required and must not be empty")
                .extracting(e -> ((InvalidVoteException) e).field()).isEqualTo("band");
    }

    @Test
    void shouldRejectMissingAlbum() {
        assertThatThrownBy(() -> validator.validate(new VoteFields(null, null, "Queen", null, null, null, null)))
                .isInstanceOf(InvalidVoteException.class)
                .extracting(e -> ((InvalidVoteException) e).field()).isEqualTo("album");
    }

    @Test
    void shouldRejectOverlongBand() {
        String band = "x".repeat(VoteValidator.MAX_NAME_LENGTH + 1);

        assertThatThrownBy(() -> validator.validate(new VoteFields(null, null, band, "a", null, null, null)))
                .hasMessage("band is 201 characters long; the most is 200");
    }

    @Test
    void shouldRejectControlCharacters() {
        assertThatThrownBy(() -> validator.validate(new VoteFields(null, null, "Que\u0000en", "a", null, null, null)))
                .hasMessage("band must not contain control characters");
    }

    @ParameterizedTest
    @ValueSource(strings = {"has space", "slash/id", "ñ"})
    void shouldRejectIdsOutsideTheSafeAlphabet(String id) {
        assertThatThrownBy(() -> validator.validate(new VoteFields(id, null, "b", "a", null, null, null)))
                .isInstanceOf(InvalidVoteException.class)
                .extracting(e -> ((InvalidVoteException) e).field()).isEqualTo("id");
    }

    @ParameterizedTest
    @ValueSource(strings = {"Finals", "-x", "a b", "a/b"})
    void shouldRejectBadContestIds(String contest) {
        assertThatThrownBy(() -> validator.validate(new VoteFields(null, contest, "b", "a", null, null, null)))
                .isInstanceOf(InvalidVoteException.class)
                .extracting(e -> ((InvalidVoteException) e).field()).isEqualTo("contest");
    }

    @Test
    void shouldPartitionByVoterWhenKnownElseById() {
        assertThat(new Vote("i1", "c", "b", "a", "", "", "p1").partitionKey()).isEqualTo("c/voter:p1");
        assertThat(new Vote("i1", "c", "b", "a", "", "", "").partitionKey()).isEqualTo("c/i1");
    }
}
