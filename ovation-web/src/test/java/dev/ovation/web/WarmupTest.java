package dev.ovation.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.ovation.model.Env;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class WarmupTest {

    @Test
    void shouldSayWarmingUpUntilTheLoadHasRunThenBeReadyAndCloseTheLoad() throws Exception {
        // Given a load that counts its rounds and its closing
        AtomicInteger rounds = new AtomicInteger();
        AtomicInteger closed = new AtomicInteger();
        Warmup warmup = Warmup.of("test", Duration.ofMillis(2_500), () -> new Warmup.Load() {
            @Override
            public long round() {
                rounds.incrementAndGet();
                return 10;
            }

            @Override
            public void close() {
                closed.incrementAndGet();
            }
        });

        // Then it is not ready before it starts, nor while it runs
        assertThatThrownBy(() -> warmup.check().check()).hasMessage("warming up: not started");
        warmup.start();
        assertThat(warmup.await(Duration.ZERO)).isFalse();
        assertThatThrownBy(() -> warmup.check().check()).hasMessageStartingWith("warming up");

        // When it is done (the JIT settled after the shortest time, or the longest passed)
        assertThat(warmup.await(Duration.ofSeconds(30))).isTrue();

        // Then it is ready, ran rounds and closed its load once
        warmup.check().check();
        assertThat(rounds.get()).isGreaterThan(1);
        assertThat(closed.get()).isEqualTo(1);
    }

    @Test
    void shouldStayNotReadyNamingTheFailureWhenTheLoadFails() throws Exception {
        // Given a load whose votes are not acknowledged
        Warmup warmup = Warmup.of("test", Duration.ofSeconds(30), () -> new Warmup.Load() {
            @Override
            public long round() throws IOException {
                throw new IOException("a warm-up vote over HTTP was answered 503, not 202",
                        new IllegalStateException("Kafka did not acknowledge the vote within 1500 ms"));
            }

            @Override
            public void close() {
            }
        }).start();
        try {
            // Then it says why it is not ready, and is tried again
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertThatThrownBy(() -> warmup.check().check()).hasMessage("the warm-up failed, trying again in 5 s:"
                            + " a warm-up vote over HTTP was answered 503, not 202 (Kafka did not acknowledge the vote"
                            + " within 1500 ms)"));
            assertThat(warmup.await(Duration.ofMillis(100))).isFalse();
        } finally {
            warmup.stop();
        }
    }

    @Test
    void shouldBeReadyAtOnceWithoutAWarmup() throws Exception {
        Warmup warmup = Warmup.of("test", Warmup.longest(new Env(Map.of("OVATION_WARMUP_SECONDS", "0"))), () -> {
            throw new AssertionError("no load is opened without a warm-up");
        }).start();
        assertThat(warmup.await(Duration.ZERO)).isTrue();
        warmup.check().check();
    }

    @Test
    void shouldReadTheLongestWarmupFromTheEnvironment() {
        assertThat(Warmup.longest(new Env(Map.of()))).isEqualTo(Duration.ofSeconds(Warmup.DEFAULT_LONGEST_SECONDS));
        assertThat(Warmup.longest(new Env(Map.of("OVATION_WARMUP_SECONDS", "45")))).isEqualTo(Duration.ofSeconds(45));
        assertThatThrownBy(() -> Warmup.longest(new Env(Map.of("OVATION_WARMUP_SECONDS", "-1"))))
                .hasMessageContaining("OVATION_WARMUP_SECONDS");
    }
}
