package dev.ovation.results;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The export threads' priority: the lowest Linux gives, for that thread only. */
class LowPriorityTest {

    @Test
    void shouldRunTheCallingThreadAtNiceNineteenAndLeaveTheOthers() throws Exception {
        assumeTrue(Files.isSymbolicLink(Path.of("/proc/thread-self")), "Linux only");
        AtomicReference<String> why = new AtomicReference<>("not run");
        AtomicReference<Integer> nice = new AtomicReference<>();
        Thread low = new Thread(() -> {
            why.set(LowPriority.lowerCallingThread());
            try {
                nice.set(LowPriority.niceOfCallingThread());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        Integer before = LowPriority.niceOfCallingThread();

        low.start();
        low.join();

        assertThat(why.get()).isNull();
        assertThat(nice.get()).isEqualTo(19);
        assertThat(low.getPriority()).isEqualTo(Thread.MIN_PRIORITY);
        assertThat(LowPriority.niceOfCallingThread()).isEqualTo(before);
    }
}
