package dev.ovation.launcher;

import static org.awaitility.Awaitility.await;

import dev.ovation.infra.LocalPorts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.awaitility.core.ConditionTimeoutException;

/**
 * A class-data sharing archive of {@code ovation.jar} (the JDK's AppCDS, {@code -XX:SharedArchiveFile}),
 * so that the many {@code java -jar ovation.jar} processes of the integration tests (the fault tests'
 * roles, the commands run for their exit codes and logs, the docs' commands) map the classes they load
 * instead of reading and verifying them again: a role's start takes seconds less on two busy cores.
 * It changes how fast a process starts, nothing of what it does.
 *
 * <p>Made once per build, the first time a test asks for it: a {@code standalone} on free ports and
 * scratch data, started with {@code -XX:ArchiveClassesAtExit} (it loads the classes of every role)
 * and stopped once it runs. Kept in {@code target/} and made again when the jar is newer. When it
 * cannot be made, the processes start without it (slower, the same otherwise). The JVM's own lines
 * about the archive are turned off, so that what a command prints is only its own.
 */
final class ClassDataArchive {

    private static final Path JAR = Path.of("target", "ovation.jar").toAbsolutePath();
    private static final Path ARCHIVE = Path.of("target", "ovation-its.jsa").toAbsolutePath();
    /** The JVM options of the training run; the processes that use the archive run with the same collector. */
    static final List<String> JVM_OPTIONS = List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");
    private static final Duration START_DEADLINE = Duration.ofSeconds(120);

    private ClassDataArchive() {
    }

    /** Made on first use only: the holder's class is initialised then, once, by the JVM. */
    private static final class Made {
        static final List<String> OPTIONS = make();
    }

    /**
     * The JVM options that use the archive ({@code -XX:SharedArchiveFile=...} and the archive's log lines
     * off), making it first if needed; none when it could not be made.
     */
    static List<String> jvmOptions() {
        return Made.OPTIONS;
    }

    private static List<String> make() {
        try {
            if (!Files.isRegularFile(JAR)) {
                return skipped(JAR + " is missing");
            }
            FileTime jarTime = Files.getLastModifiedTime(JAR);
            if (!Files.isRegularFile(ARCHIVE) || Files.getLastModifiedTime(ARCHIVE).compareTo(jarTime) < 0) {
                String failure = train();
                if (failure != null) {
                    return skipped(failure);
                }
            }
            return List.of("-XX:SharedArchiveFile=" + ARCHIVE, "-Xlog:cds=off", "-Xlog:cds+dynamic=off");
        } catch (IOException e) {
            return skipped(e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return skipped("interrupted");
        }
    }

    /** Runs the training standalone; null when the archive was made, else why not. */
    private static String train() throws IOException, InterruptedException {
        long started = System.nanoTime();
        Path dir = Files.createTempDirectory("ovation-cds-");
        try {
            // beside the archive, so that it replaces the old one in one step
            Path made = ARCHIVE.resolveSibling(ARCHIVE.getFileName() + ".new");
            Files.deleteIfExists(made);
            Path log = dir.resolve("standalone.log");
            String host = "127.0.0.1";
            List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-XX:ArchiveClassesAtExit=" + made));
            command.addAll(JVM_OPTIONS);
            command.addAll(List.of("-Xmx512m", "-jar", JAR.toString(), "standalone", "--data-dir", dir.resolve("data").toString()));
            for (String port : List.of("--http-port", "--grpc-port", "--results-port", "--counter-port", "--kafka-port",
                    "--redis-port", "--mongo-port")) {
                command.addAll(List.of(port, Integer.toString(LocalPorts.pickFree(host))));
            }
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
            builder.environment().keySet().removeIf(name -> name.startsWith("OVATION_") || name.startsWith("JAVA_")
                    || name.equals("JDK_JAVA_OPTIONS"));
            builder.environment().put("OVATION_WARMUP_SECONDS", "0");
            Process standalone = builder.start();
            try {
                await().atMost(START_DEADLINE).pollInterval(Duration.ofMillis(100))
                        .until(() -> !standalone.isAlive() || Files.readString(log).contains("Ovation is running"));
            } catch (ConditionTimeoutException e) {
                return "the training standalone was not running within " + START_DEADLINE.toSeconds() + " s: "
                        + DocShell.tail(log);
            } finally {
                // SIGTERM: the JVM writes the archive as it exits
                standalone.destroy();
                if (!standalone.waitFor(60, TimeUnit.SECONDS)) {
                    standalone.destroyForcibly();
                }
            }
            if (!Files.isRegularFile(made)) {
                return "the training standalone wrote no archive:\n" + DocShell.tail(log);
            }
            Files.move(made, ARCHIVE, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            System.out.printf("ClassDataArchive: %s made in %.1f s%n", ARCHIVE, (System.nanoTime() - started) / 1e9);
            return null;
        } finally {
            deleteTree(dir);
        }
    }

    private static List<String> skipped(String why) {
        System.err.println("ClassDataArchive: the tests' JVMs start without a class-data archive: " + why);
        return List.of();
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
