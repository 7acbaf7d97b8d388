package dev.ovation.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class CountOutcomeTest {

    @Test
    void shouldReadACountOfThisRecord() {
        assertThat(CountOutcome.parse("c:1000:3:77", 3, 77)).isEqualTo(new CountOutcome(true, true, 1000));
    }

    @Test
    void shouldReadARejectionOverTheVoterLimit() {
        assertThat(CountOutcome.parse("r:1000:3:77", 3, 77)).isEqualTo(new CountOutcome(true, false, 1000));
    }

    @Test
    void shouldReadAnotherRecordWithTheSameIdAsADuplicate() {
        assertThat(CountOutcome.parse("c:1000:3:77", 3, 78)).isEqualTo(new CountOutcome(false, true, 1000));
        assertThat(CountOutcome.parse("c:1000:3:77", 4, 77)).isEqualTo(new CountOutcome(false, true, 1000));
    }

    @Test
    void shouldRefuseAnUnknownAnswer() {
        assertThatThrownBy(() -> CountOutcome.parse("new", 0, 0)).isInstanceOf(IllegalStateException.class);
    }
}
