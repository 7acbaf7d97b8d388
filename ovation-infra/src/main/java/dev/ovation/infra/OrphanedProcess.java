package dev.ovation.infra;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds a server process left running by a JVM that was killed before it could close it.
 *
 * <p>Only a process that the pid file names, that runs the expected program, and whose parent is
 * gone (re-parented to pid 1) counts as orphaned. A server still owned by a live process is left
 * alone; the port check that follows then reports the port as taken.
 */
final class OrphanedProcess {

    private static final Logger LOG = LoggerFactory.getLogger(OrphanedProcess.class);

    private OrphanedProcess() {
    }

    /**
     * Stops the orphan named by {@code pidFile}, if there is one, gracefully (SIGTERM) and waits for
     * it to exit; kills it when it outlives {@code deadline}.
     */
    static void stopIfOrphaned(Path pidFile, String programPrefix, Duration deadline) throws IOException {
        Optional<ProcessHandle> found = readPid(pidFile).flatMap(ProcessHandle::of).filter(ProcessHandle::isAlive);
        if (found.isEmpty()) {
            return;
        }
        ProcessHandle orphan = found.get();
        boolean sameProgram = orphan.info().command()
                .map(command -> Path.of(command).getFileName().toString().startsWith(programPrefix))
                .orElse(false);
        boolean parentGone = orphan.parent().map(parent -> parent.pid() == 1).orElse(true);
        if (!sameProgram || !parentGone) {
            return;
        }
        LOG.warn("Stopping orphaned {} (pid {}) named by {}: its JVM exited without closing it",
                programPrefix, orphan.pid(), pidFile);
        orphan.destroy();
        try {
            orphan.onExit().get(deadline.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            orphan.destroyForcibly();
            throw new IOException("Orphaned " + programPrefix + " (pid " + orphan.pid() + ") did not stop within "
                    + deadline.toSeconds() + " s and was killed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("Interrupted while stopping orphaned " + programPrefix + " (pid " + orphan.pid() + ")", e);
        } catch (ExecutionException e) {
            throw new IOException("Could not wait for orphaned " + programPrefix + " (pid " + orphan.pid() + ")", e);
        }
    }

    private static Optional<Long> readPid(Path pidFile) throws IOException {
        if (!Files.exists(pidFile)) {
            return Optional.empty();
        }
        String text = Files.readString(pidFile, StandardCharsets.US_ASCII).strip();
        try {
            return Optional.of(Long.parseLong(text));
        } catch (NumberFormatException e) {
            throw new IOException("Pid file " + pidFile + " holds no pid: '" + text + "'", e);
        }
    }
}
