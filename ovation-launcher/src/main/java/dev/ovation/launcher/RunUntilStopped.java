package dev.ovation.launcher;

import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a started role running until the process is asked to stop (Ctrl-C, SIGTERM), then closes
 * it from one shutdown hook and lets the process exit.
 */
final class RunUntilStopped {

    private static final Logger LOG = LoggerFactory.getLogger(RunUntilStopped.class);

    private RunUntilStopped() {
    }

    /** Blocks until the JVM shuts down, closing {@code role} first. */
    static int run(String name, AutoCloseable role) {
        CountDownLatch closed = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            LOG.info("Stopping {}...", name);
            try {
                role.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Exception e) {
                LOG.error("{} did not stop cleanly", name, e);
            } finally {
                closed.countDown();
            }
        }, "ovation-shutdown"));
        try {
            closed.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }
}
