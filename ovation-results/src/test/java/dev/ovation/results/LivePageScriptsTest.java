package dev.ovation.results;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The live page's modules pass their tests: {@code src/test/js/*.test.js}, run by Node's built-in
 * runner ({@code node --test}) against the modules as they are served, from
 * {@code src/main/resources/dev/ovation/results/web/js}. Every module there has a test of its own;
 * the views ({@code js/view}, which need Vue and a DOM) and the entry module {@code app.js} are
 * covered by the browser suite ({@code LivePageIT} in the launcher). Needs Node.js 20 or later
 * ({@link NodeRunner}).
 */
class LivePageScriptsTest {

    static final Path MODULES = Path.of("src", "main", "resources", "dev", "ovation", "results", "web", "js");
    static final Path TESTS = Path.of("src", "test", "js");
    private static final Pattern PASSED = Pattern.compile("(?m)^# pass (\\d+)$");
    private static final Pattern FAILED = Pattern.compile("(?m)^# fail (\\d+)$");

    @Test
    void shouldPassEveryModuleTestInNode() {
        List<String> files = names(TESTS, ".test.js");
        assertThat(files).as("test files in %s", TESTS.toAbsolutePath()).isNotEmpty();
        List<String> args = new ArrayList<>(List.of("--test", "--test-reporter=tap"));
        args.addAll(files);

        NodeRunner.Outcome run = NodeRunner.run(TESTS, args);

        String command = "node " + String.join(" ", args) + " (in " + TESTS + ")";
        assertThat(run.exitCode()).as("%s failed:%n%s", command, run.output()).isZero();
        assertThat(count(FAILED, run.output())).as("%s:%n%s", command, run.output()).isZero();
        assertThat(count(PASSED, run.output())).as("tests passed, at least one a file:%n%s", run.output())
                .isGreaterThanOrEqualTo(files.size());
    }

    @Test
    void shouldHaveATestFileForEveryModule() {
        List<String> modules = names(MODULES, ".js");
        List<String> tests = names(TESTS, ".test.js");

        assertThat(modules).isNotEmpty();
        assertThat(tests).as("src/test/js has a <module>.test.js for each module of %s", MODULES)
                .containsAll(modules.stream().map(name -> name.replaceFirst("\\.js$", ".test.js")).toList());
    }

    /** The names of the files directly in {@code directory} that end with {@code suffix}, sorted. */
    private static List<String> names(Path directory, String suffix) {
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(Files::isRegularFile).map(file -> file.getFileName().toString())
                    .filter(name -> name.endsWith(suffix)).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + directory.toAbsolutePath(), e);
        }
    }

    private static int count(Pattern summary, String output) {
        Matcher line = summary.matcher(output);
        assertThat(line.find()).as("Node's summary line %s in:%n%s", summary, output).isTrue();
        return Integer.parseInt(line.group(1));
    }
}
