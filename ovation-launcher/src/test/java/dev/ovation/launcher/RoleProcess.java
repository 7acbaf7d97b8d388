package dev.ovation.launcher;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * One Ovation role ({@code ingest}, {@code counter}, ...) running as its own process from the
 * launcher jar, as it runs in production: so that a test can kill it with SIGKILL.
 */
final class RoleProcess implements AutoCloseable {

    private static final Path JAR = Path.of("target", "ovation.jar");

    private final String role;
    private final Process process;
    private final Path output;

    private RoleProcess(String role, Process process, Path output) {
        this.role = role;
        this.process = process;
        this.output = output;
    }

    /**
     * Starts {@code java -jar ovation.jar <role>} with the given environment and waits until
     * {@code ready} holds (deadline 60 s), or fails showing the process's output.
     */
    static RoleProcess start(String role, Map<String, String> env, Path logDir, Predicate<RoleProcess> ready) {
        try {
            Files.createDirectories(logDir);
            Path output = Files.createTempFile(logDir, role + "-", ".log");
            String java = ProcessHandle.current().info().command().orElse("java");
            List<String> command = new ArrayList<>(List.of(java, "-Xmx256m", "-XX:+UseSerialGC",
                    "-XX:TieredStopAtLevel=1", "-jar", JAR.toAbsolutePath().toString(), role));
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(output.toFile());
            // the fault tests are about what a crash loses, not the roles' speed: no warm-up
            builder.environment().put("OVATION_WARMUP_SECONDS", "0");
            builder.environment().putAll(env);
            RoleProcess started = new RoleProcess(role, builder.start(), output);
            try {
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                        .until(() -> {
                            if (!started.process.isAlive()) {
                                throw new IllegalStateException(role + " exited at start:\n" + started.output());
                            }
                            return ready.test(started);
                        });
            } catch (RuntimeException e) {
                started.kill();
                throw e;
            }
            return started;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** True once the process printed {@code text}. */
    boolean printed(String text) {
        return output().contains(text);
    }

    String output() {
        try {
            return Files.readString(output);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** SIGKILL: no shutdown hook runs, nothing is flushed. */
    void kill() {
        process.destroyForcibly();
        try {
            process.waitFor(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** SIGTERM, then SIGKILL if it has not stopped within 30 s. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                kill();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            kill();
        }
    }

    @Override
    public String toString() {
        return role + " (pid " + process.pid() + ")";
    }

    /** True when {@code url} answers 200 within 5 s: a role's readiness, for {@link #start}'s predicate. */
    static boolean answers200(String url) {
        try {
            return HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                            URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
