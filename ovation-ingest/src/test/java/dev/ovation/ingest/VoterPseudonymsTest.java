package dev.ovation.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** A voter's pseudonym: the same for the same voter and salt, nothing like the number, another with another salt. */
class VoterPseudonymsTest {

    @Test
    void shouldGiveTheSameVoterTheSamePseudonymAndHideTheNumber() {
        VoterPseudonyms voters = new VoterPseudonyms("a secret salt");

        String pseudonym = voters.of("+50255501234");

        assertThat(pseudonym).matches("v1:[A-Za-z0-9_-]{22}").doesNotContain("5025550");
        assertThat(voters.of("+50255501234")).isEqualTo(pseudonym);
        assertThat(voters.of("+50255501235")).isNotEqualTo(pseudonym);
        assertThat(new VoterPseudonyms("another salt").of("+50255501234")).isNotEqualTo(pseudonym);
        assertThat(voters.of("")).isEmpty();
    }
}
