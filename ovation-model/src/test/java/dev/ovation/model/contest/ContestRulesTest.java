package dev.ovation.model.contest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ovation.model.InvalidVoteException;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ContestRulesTest {

    @Test
    void shouldRefuseTheWarmupsReservedContestId() {
        Contest reserved = new Contest(Contest.WARMUP_ID, "Mine", Map.of(), null, null, Contest.OPEN, 0, null);
        assertThatThrownBy(() -> ContestRules.validate(reserved))
                .isInstanceOfSatisfying(InvalidVoteException.class, e -> assertThat(e.field()).isEqualTo("id"))
                .hasMessage("id 'ovation-warmup' is reserved for the votes Ovation sends itself to warm up; choose another");
    }

    @Test
    void shouldTakeAnOrdinaryContestId() throws Exception {
        Contest finals = new Contest("ovation-finals", null, Map.of(), null, null, null, 0, null);
        assertThat(ContestRules.validate(finals)).isSameAs(finals);
    }

    @Test
    void shouldMakeAWarmupContestThatTakesAnyBandWithAVoterLimit() {
        Contest warmup = Contest.warmup(3);
        assertThat(warmup.id()).isEqualTo(Contest.WARMUP_ID);
        assertThat(warmup.isOpenCatalog()).isTrue();
        assertThat(warmup.votesPerVoter()).isEqualTo(3);
        assertThat(warmup.statusAt(Instant.now())).isEqualTo("open");
    }
}
