package dev.ovation.results;

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
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs Node.js for the live page's script tests: from {@code OVATION_NODE}, else the PATH, else
 * Debian's {@code /usr/bin/node}. Without Node 20 or later the calling test fails, saying how to get
 * it: the page's modules must not go untested because a machine lacks it.
 */
final class NodeRunner {

    static final Path DEBIAN_BINARY = Path.of("/usr/bin/node");
    static final int MIN_MAJOR = 20;
    private static final Pattern VERSION = Pattern.compile("v(\\d+)\\.\\d+\\.\\d+\\s*");
    private static final long TIMEOUT_SECONDS = 120;

    private NodeRunner() {
    }

    /** What node printed, stdout and stderr together, and its exit status. */
    record Outcome(int exitCode, String output) {
    }

    /** Runs {@code node args...} in {@code directory}; fails the test when there is no Node 20 or later. */
    static Outcome run(Path directory, List<String> args) {
        String node = binary();
        Outcome version = exec(directory, List.of(node, "--version"));
        Matcher major = VERSION.matcher(version.output());
        if (version.exitCode() != 0 || !major.matches()) {
            fail(node + " --version answered " + version.exitCode() + ": " + version.output().strip()
                    + "; the live page's script tests need Node.js " + MIN_MAJOR + " or later");
        }
        if (Integer.parseInt(major.group(1)) < MIN_MAJOR) {
            fail(node + " is Node.js " + version.output().strip() + ", too old for the live page's script tests: they need "
                    + MIN_MAJOR + " or later (its built-in test runner); install a newer one or name it with OVATION_NODE");
        }
        List<String> command = new ArrayList<>();
        command.add(node);
        command.addAll(args);
        return exec(directory, command);
    }

    private static Outcome exec(Path directory, List<String> command) {
        Path output = null;
        try {
            output = Files.createTempFile("ovation-node", ".txt");
            // to a file, not a pipe: a node that hangs cannot block the wait below
            Process process = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true)
                    .redirectOutput(output.toFile()).start();
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                fail(String.join(" ", command) + " did not finish in " + TIMEOUT_SECONDS + " s:\n"
                        + Files.readString(output, StandardCharsets.UTF_8));
            }
            return new Outcome(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("could not run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + command, e);
        } finally {
            if (output != null) {
                try {
                    Files.deleteIfExists(output);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
    }

    private static String binary() {
        String configured = System.getenv("OVATION_NODE");
        if (configured != null && !configured.isBlank()) {
            if (!Files.isExecutable(Path.of(configured))) {
                fail("OVATION_NODE names " + configured + ", which is not an executable file: name Node.js 20 or later there");
            }
            return configured;
        }
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path candidate = Path.of(dir, "node");
            if (!dir.isEmpty() && Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        if (Files.isExecutable(DEBIAN_BINARY)) {
            return DEBIAN_BINARY.toString();
        }
        fail("Node.js is not on the PATH, nor named by OVATION_NODE, nor at " + DEBIAN_BINARY
                + ": the live page's script tests need Node.js " + MIN_MAJOR + " or later "
                + "(Debian 13: apt-get install -y nodejs; Debian 12's nodejs is 18: NodeSource's nodejs 20 package instead), "
                + "or name its binary with OVATION_NODE");
        throw new AssertionError("unreachable");
    }
}
