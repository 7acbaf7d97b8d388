package dev.ovation.deploy;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Runs Prometheus's {@code promtool}: from {@code PROMTOOL}, else the PATH, else Debian's
 * {@code /usr/bin/promtool} (the {@code prometheus} package, which {@code .ci/run} installs). Without it
 * a test is skipped with the reason, except under {@code CI=true}, where it fails: CI must check the
 * rules.
 */
final class Promtool {

    static final Path DEBIAN_BINARY = Path.of("/usr/bin/promtool");

    private Promtool() {
    }

    /** What promtool printed, stdout then stderr, and its exit status. */
    record Outcome(int exitCode, String output) {
    }

    /** Runs {@code promtool args...} in {@code directory}; skips or fails the test when there is no promtool. */
    static Outcome run(Path directory, String... args) {
        List<String> command = new ArrayList<>();
        command.add(binary());
        command.addAll(List.of(args));
        try {
            Process process = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true).start();
            byte[] out = process.getInputStream().readAllBytes();
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " did not finish in 120 s");
            }
            return new Outcome(process.exitValue(), new String(out, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("could not run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + command, e);
        }
    }

    private static String binary() {
        String configured = System.getenv("PROMTOOL");
        if (configured != null && !configured.isBlank()) {
            return configured;
        }
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path candidate = Path.of(dir, "promtool");
            if (Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        if (Files.isExecutable(DEBIAN_BINARY)) {
            return DEBIAN_BINARY.toString();
        }
        String missing = "promtool is not on the PATH, nor named by PROMTOOL, nor at " + DEBIAN_BINARY
                + ": install Debian's prometheus package (apt-get install -y prometheus) to check the alert rules";
        if ("true".equals(System.getenv("CI"))) {
            fail(missing);
        }
        Assumptions.abort(missing);
        throw new AssertionError("unreachable");
    }
}
