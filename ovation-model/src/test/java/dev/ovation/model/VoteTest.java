package dev.ovation.model;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class VoteTest {

    @Test
    void shouldChangeOnlyTheVoter() {
        Vote vote = new Vote("id-1", "final", "Queen", "Jazz", "1978", "1", "+44 7700 900123");

        assertThat(vote.withVoter("v1:pseudonym"))
                .isEqualTo(new Vote("id-1", "final", "Queen", "Jazz", "1978", "1", "v1:pseudonym"));
    }

    @Test
    void shouldKeyAVoteByItsVoterOrElseItsId() {
        Vote anonymous = new Vote("id-1", "final", "Queen", "Jazz", "", "", "");

        assertThat(anonymous.partitionKey()).isEqualTo("final/id-1");
        assertThat(anonymous.withVoter("v1:abc").partitionKey()).isEqualTo("final/voter:v1:abc");
    }
}
