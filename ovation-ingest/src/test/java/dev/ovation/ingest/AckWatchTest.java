package dev.ovation.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.errors.NotEnoughReplicasException;
import org.junit.jupiter.api.Test;

class AckWatchTest {

    private final AtomicLong now = new AtomicLong(TimeUnit.SECONDS.toNanos(100));
    private final AckWatch watch = new AckWatch(now::get);

    private void advanceMillis(long millis) {
        now.addAndGet(TimeUnit.MILLISECONDS.toNanos(millis));
    }

    @Test
    void shouldTurnDownWhenVotesFailWithNoAcknowledgementAndUpOnTheNextOne() {
        watch.acknowledged();
        advanceMillis(2_000);
        watch.notStored(new NotEnoughReplicasException("only 1 in-sync replica"));

        assertThatThrownBy(() -> watch.check().check())
                .hasMessageContaining("Kafka has stored no vote since one failed 0 ms ago")
                .hasMessageContaining("only 1 in-sync replica");
        assertThat(watch.check().name()).isEqualTo("votes");

        advanceMillis(500);
        watch.acknowledged();
        assertThatCode(() -> watch.check().check()).doesNotThrowAnyException();
    }

    @Test
    void shouldStayUpWhileOtherVotesAreAcknowledged() {
        watch.acknowledged();
        advanceMillis(200);
        watch.notStored(new NotEnoughReplicasException("one partition"));

        assertThatCode(() -> watch.check().check()).doesNotThrowAnyException();
    }

    @Test
    void shouldComeBackUpWhenNoVoteWasTriedForAWhile() {
        watch.notStored(new NotEnoughReplicasException("down"));
        assertThatThrownBy(() -> watch.check().check()).isInstanceOf(IllegalStateException.class);

        advanceMillis(AckWatch.STALE_MILLIS);
        assertThatCode(() -> watch.check().check()).doesNotThrowAnyException();
    }
}
