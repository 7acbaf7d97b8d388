package dev.ovation.launcher;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The built launcher jar run as a command, as a person runs it: a clean environment (no OVATION_
 * or JAVA_ settings but those given), its standard output and error in {@code out} and
 * {@code err} under a directory.
 */
final class LauncherJar {

    static final Path JAR = Path.of("target", "ovation.jar");

    private LauncherJar() {
    }

    /** Starts {@code java -jar ovation.jar args...}; output in {@code dir/out}, errors in {@code dir/err}. */
    static Process start(Path dir, Map<String, String> env, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-jar", JAR.toAbsolutePath().toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectOutput(dir.resolve("out").toFile()).redirectError(dir.resolve("err").toFile());
        builder.environment().keySet().removeIf(name -> name.startsWith("OVATION_") || name.startsWith("JAVA_")
                || name.equals("JDK_JAVA_OPTIONS"));
        // these tests are about what the commands print and answer, not their speed: no warm-up
        builder.environment().put("OVATION_WARMUP_SECONDS", "0");
        builder.environment().putAll(env);
        return builder.start();
    }
}
