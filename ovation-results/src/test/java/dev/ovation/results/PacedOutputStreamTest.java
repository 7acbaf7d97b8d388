package dev.ovation.results;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.InterruptedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** An export's pace: never more than its bytes per second on average, from its first byte. */
class PacedOutputStreamTest {

    private long now = TimeUnit.SECONDS.toNanos(100);
    private final List<Long> slept = new ArrayList<>();
    private final ByteArrayOutputStream sent = new ByteArrayOutputStream();

    private PacedOutputStream paced(long bytesPerSecond) {
        return new PacedOutputStream(sent, bytesPerSecond, () -> now, nanos -> {
            slept.add(nanos);
            now += nanos;
        });
    }

    @Test
    void shouldSleepAsLongAsItIsAheadOfItsRate() throws Exception {
        // Given 1,000 bytes a second
        PacedOutputStream out = paced(1_000);

        // When 500 bytes are written at once, then 250 more 100 ms later
        out.write(new byte[500], 0, 500);
        now += TimeUnit.MILLISECONDS.toNanos(100);
        out.write(new byte[250], 0, 250);

        // Then it slept until each was due: 0.5 s, then 0.75 s after the start
        assertThat(slept).containsExactly(TimeUnit.MILLISECONDS.toNanos(500), TimeUnit.MILLISECONDS.toNanos(150));
        assertThat(sent.size()).isEqualTo(750);
    }

    @Test
    void shouldNotSleepWhenTheWriterIsSlowerThanTheRate() throws Exception {
        PacedOutputStream out = paced(1_000_000);

        for (int i = 0; i < 10; i++) {
            out.write(new byte[1_000], 0, 1_000);
            now += TimeUnit.MILLISECONDS.toNanos(10);
        }
        out.write('x');

        assertThat(slept).isEmpty();
        assertThat(sent.size()).isEqualTo(10_001);
    }

    @Test
    void shouldCountFromTheFirstByteNotFromWhenItWasMade() throws Exception {
        PacedOutputStream out = paced(1_000);
        now += TimeUnit.SECONDS.toNanos(30);  // the export was written to a file first

        out.write(new byte[1_000], 0, 1_000);

        assertThat(slept).containsExactly(TimeUnit.SECONDS.toNanos(1));
    }

    @Test
    void shouldStopWithTheInterruptFlagSetWhenInterrupted() {
        PacedOutputStream out = new PacedOutputStream(sent, 1, () -> now, nanos -> {
            throw new InterruptedException();
        });

        assertThatThrownBy(() -> out.write(new byte[10], 0, 10)).isInstanceOf(InterruptedIOException.class);
        assertThat(Thread.interrupted()).isTrue();
    }
}
