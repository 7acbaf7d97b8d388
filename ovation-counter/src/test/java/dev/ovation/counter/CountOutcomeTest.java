package dev.ovation.counter;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CountOutcomeTest {

    @Test
    void shouldReadAFirstCount() {
        assertThat(CountOutcome.parse("new", 42, 0, 7)).isEqualTo(new CountOutcome(true, 42));
    }

    @Test
    void shouldReadAReplayOfTheSameRecordAsTheFirstCount() {
        assertThat(CountOutcome.parse("1000:3:77", 42, 3, 77)).isEqualTo(new CountOutcome(true, 1000));
    }

    @Test
    void shouldReadAnotherRecordWithTheSameIdAsADuplicate() {
        assertThat(CountOutcome.parse("1000:3:77", 42, 3, 78)).isEqualTo(new CountOutcome(false, 1000));
        assertThat(CountOutcome.parse("1000:3:77", 42, 4, 77)).isEqualTo(new CountOutcome(false, 1000));
    }
}
