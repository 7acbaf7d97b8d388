package dev.ovation.launcher;

import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import dev.ovation.testkit.Python;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Executable docs: every {@code ```console} and {@code ```sh} block of README.md and docs/*.md runs,
 * in the page's order, in one bash per page in the repository's root, against the standalone the page
 * itself starts on fresh data; what each console command prints must match the sample under it
 * ({@link SampleMatcher}: what varies is masked, counts are exact). A block that cannot run here says
 * so in the page, {@code <!-- docs-test: skip (why) -->}, and is skipped by that marking. The rules are
 * in docs/testing.md ("Executable docs"). The pages use the default ports, so this test needs them
 * free.
 */
class ConsoleDocsIT {

    /** How long a read (below) is run again while it does not match yet: counting follows an acknowledgement. */
    private static final Duration SETTLE = Duration.ofSeconds(10);
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(120);
    /** Starting Kafka, Redis and MongoDB and the roles takes 10 to 25 s on two busy cores. */
    private static final Duration READY_DEADLINE = Duration.ofSeconds(120);
    private static final Pattern CURL_WRITE = Pattern.compile("\\s(-d|--data\\S*|-X|-T|-F|--json)[\\s=]");
    /** {@code -G}: curl sends its {@code --data} in the URL of a GET. */
    private static final Pattern CURL_GET = Pattern.compile("\\s(-G|--get)\\s");
    private static final Pattern REDIS_READ = Pattern.compile("^redis-cli\\b.*\\s(?i:GET|HGET|HGETALL|SCAN|HSCAN|TTL)\\s");
    /** Programs the pages call besides bash and the launcher; a page needing a missing one is skipped (fails on CI). */
    private static final List<String> TOOLS = List.of("curl", "jq", "python3", "redis-cli", "prometheus");
    /**
     * Python modules the pages' commands use beyond the standard library, with the Debian package that
     * has them; a block using one that python3 cannot import is skipped (fails on CI).
     */
    private static final Map<String, String> PYTHON_MODULES = Map.of("pymongo", "python3-pymongo");
    /**
     * The JVM options of every {@code ./ovation} run: as the other ITs', the serial collector and no C2, for a
     * quicker start on two cores; and no warm-up (the pages' samples were taken with it, its times are masked).
     */
    private static final Map<String, String> ENV = Map.of(
            "OVATION_JAVA_OPTS", "-XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xmx1g",
            "OVATION_WARMUP_SECONDS", "0");

    @TestFactory
    Stream<DynamicTest> shouldPrintWhatEachPageShows() throws IOException {
        Path root = repositoryRoot();
        List<Path> pages = new ArrayList<>(List.of(root.resolve("README.md")));
        try (Stream<Path> docs = Files.list(root.resolve("docs"))) {
            docs.filter(p -> p.toString().endsWith(".md")).sorted(Comparator.naturalOrder()).forEach(pages::add);
        }
        // -Dovation.docs=docs/api.md runs one page (a comma-separated list: several)
        List<String> only = List.of(System.getProperty("ovation.docs", "").split(",")).stream()
                .filter(s -> !s.isBlank()).toList();
        return pages.stream().filter(page -> only.isEmpty() || only.contains(root.relativize(page).toString()))
                .map(page -> dynamicTest(root.relativize(page).toString(), () -> run(root, page)));
    }

    private void run(Path root, Path page) throws Exception {
        String name = root.relativize(page).toString();
        ConsoleDoc doc = ConsoleDoc.parse(name, Files.readString(page));
        long skipped = doc.blocks().stream().filter(b -> doc.skipPage().isPresent() || b.marking().skip().isPresent()).count();
        log("%s: %d shell blocks, %d skipped by their marking%s", name, doc.blocks().size(), skipped,
                doc.skipPage().map(why -> " (the whole page: " + why + ")").orElse(""));
        List<ConsoleDoc.Block> runnable = doc.blocks().stream()
                .filter(b -> doc.skipPage().isEmpty() && b.marking().skip().isEmpty()).toList();
        assumeTrue(!runnable.isEmpty(), doc.blocks().isEmpty() ? name + " has no ```console or ```sh block"
                : "every shell block of " + name + " is marked skip");
        requireTools(name, runnable);

        Path jar = root.resolve("ovation-launcher/target/ovation.jar");
        if (!Files.isRegularFile(jar)) {
            fail(jar + " is missing: the docs' commands run the jar that Maven's package phase makes (./mvnw verify)");
        }
        long started = System.nanoTime();
        Path tmp = Files.createTempDirectory("ovation-docs-");
        SampleMatcher matcher = new SampleMatcher();
        int commands = 0;
        try (DocShell shell = new DocShell(root, tmp, jar, ENV)) {
            for (ConsoleDoc.Block block : runnable) {
                Optional<String> missing = missingPythonModule(block);
                if (missing.isPresent()) {
                    String why = name + ":" + block.line() + ": " + missing.get();
                    if ("true".equals(System.getenv("CI"))) {
                        fail(why);
                    }
                    System.err.println("SKIPPED ConsoleDocsIT block " + why);
                    continue;
                }
                if (block.commands().isEmpty()) {
                    fail(name + ":" + block.line() + ": a ```" + block.language() + " block with no command to run;"
                            + " mark it <!-- docs-test: skip (why) -->");
                }
                for (ConsoleDoc.Command command : block.commands()) {
                    runCommand(name, block, command, shell, matcher);
                    commands++;
                }
            }
            log("%s: %d commands run in %.1f s", name, commands, (System.nanoTime() - started) / 1e9);
        } finally {
            deleteTree(tmp);
        }
        log("%s: %.1f s with its start and stop", name, (System.nanoTime() - started) / 1e9);
    }

    private static void runCommand(String page, ConsoleDoc.Block block, ConsoleDoc.Command command, DocShell shell,
            SampleMatcher matcher) throws Exception {
        String where = page + ":" + command.line() + ": " + command.text();
        String text = shell.rewrite(matcher.substitute(command.text()));
        boolean console = block.language().equals("console");
        Optional<ConsoleDoc.Background> background = block.background(command);
        if (background.isPresent()) {
            if (background.get().readyUrl().isEmpty() && (!console || command.sample().isEmpty())) {
                fail(where + "\n  'ready when printed' needs the output it prints shown under it");
            }
            long starting = System.nanoTime();
            DocShell.Background started = shell.start(text, background.get().readyUrl(), READY_DEADLINE);
            // what it prints shows in its own terminal: compared only when the page shows it
            if (console && !command.sample().isEmpty()) {
                // a banner comes once the command is ready; it may follow the readiness check by a moment
                Duration wait = background.get().readyUrl().isPresent() ? SETTLE : READY_DEADLINE;
                awaitMatch(where, wait, () -> {
                    Optional<String> why = matcher.mismatch(command.sample(), shell.stdout(started));
                    if (why.isPresent() && !DocShell.alive(started)) {
                        fail(where + "\n  exited, having printed:\n" + indent(shell.stdout(started)) + "\n  and on stderr:\n"
                                + DocShell.tail(started.stderr()));
                    }
                    return why;
                });
            }
            log("%s: ready in %.1f s", where.lines().findFirst().orElse(where), (System.nanoTime() - starting) / 1e9);
            return;
        }
        long starting = System.nanoTime();
        long deadline = starting + block.marking().retryReads().orElse(SETTLE).toNanos();
        for (int runs = 1; ; runs++) {
            DocShell.Output output = shell.run(text, COMMAND_TIMEOUT);
            int expectedExit = console ? SampleMatcher.expectedExit(command.sample()) : 0;
            Optional<String> why = output.exit() != expectedExit
                    ? Optional.of("exit status " + output.exit() + ", expected " + expectedExit)
                    : console ? matcher.mismatch(command.sample(), output.lines()) : Optional.empty();
            if (why.isEmpty()) {
                double seconds = (System.nanoTime() - starting) / 1e9;
                if (seconds >= 2) {
                    log("%s: %.1f s%s", where.lines().findFirst().orElse(where), seconds, runs > 1 ? ", " + runs + " runs" : "");
                }
                return;
            }
            if (!isRead(command.text()) || System.nanoTime() > deadline) {
                fail(where + "\n  " + why.get() + "\n  printed:\n" + indent(output.lines()));
            }
            Thread.sleep(200);
        }
    }

    private interface Check {
        Optional<String> mismatch() throws IOException;
    }

    private static void awaitMatch(String where, Duration wait, Check check) throws Exception {
        long deadline = System.nanoTime() + wait.toNanos();
        for (Optional<String> why = check.mismatch(); why.isPresent(); why = check.mismatch()) {
            if (System.nanoTime() > deadline) {
                fail(where + "\n  " + why.get());
            }
            Thread.sleep(200);
        }
    }

    /**
     * A command that only reads, so may be run again until what it reads has settled: {@code curl} sending
     * no body and no method (or its data in a GET's URL, {@code -G}), {@code redis-cli} reading, and
     * {@code ./ovation recount} without {@code --repair}.
     */
    static boolean isRead(String command) {
        String text = command.strip();
        if (text.startsWith("curl ")) {
            return CURL_GET.matcher(text + " ").find() || !CURL_WRITE.matcher(text + " ").find();
        }
        if (text.startsWith("./ovation recount ")) {
            return !text.contains("--repair");
        }
        return REDIS_READ.matcher(text + " ").find();
    }

    private static void requireTools(String page, List<ConsoleDoc.Block> blocks) {
        List<String> missing = TOOLS.stream()
                .filter(tool -> blocks.stream().flatMap(b -> b.commands().stream())
                        .anyMatch(c -> Pattern.compile("(^|[\\s|;&(])" + Pattern.quote(tool) + "\\s").matcher(c.text()).find()))
                .filter(tool -> !onPath(tool)).toList();
        if (!missing.isEmpty()) {
            String why = page + " runs " + String.join(", ", missing) + ", missing on this machine";
            if ("true".equals(System.getenv("CI"))) {
                fail(why);
            }
            System.err.println("SKIPPED ConsoleDocsIT " + page + ": " + why);
            assumeTrue(false, why);
        }
    }

    /** The first module of {@link #PYTHON_MODULES} the block's python3 commands use and python3 cannot import. */
    private static Optional<String> missingPythonModule(ConsoleDoc.Block block) {
        for (Map.Entry<String, String> module : PYTHON_MODULES.entrySet()) {
            Pattern uses = Pattern.compile("\\bpython3\\b.*\\b" + Pattern.quote(module.getKey()) + "\\b", Pattern.DOTALL);
            if (block.commands().stream().anyMatch(c -> uses.matcher(c.text()).find()) && !imports(module.getKey())) {
                return Optional.of("python3 cannot import " + module.getKey() + " (Debian's " + module.getValue() + ")");
            }
        }
        return Optional.empty();
    }

    /** Whether the blocks' python3 (Debian's first, as {@link DocShell} sets PATH) imports {@code module}. */
    private static boolean imports(String module) {
        return Python.imports(Files.isExecutable(Path.of(Python.DEBIANS)) ? Python.DEBIANS : "python3", module);
    }

    private static boolean onPath(String tool) {
        return Stream.of(System.getenv().getOrDefault("PATH", "").split(":"))
                .anyMatch(dir -> !dir.isEmpty() && Files.isExecutable(Path.of(dir, tool)));
    }

    /** The repository's root: the nearest directory upwards holding {@code docs} and {@code README.md}, as DocsLinksTest finds it. */
    private static Path repositoryRoot() {
        Path dir = Path.of("").toAbsolutePath();
        for (Path candidate = dir; candidate != null; candidate = candidate.getParent()) {
            if (Files.isDirectory(candidate.resolve("deploy/k8s")) && Files.isRegularFile(candidate.resolve("README.md"))) {
                return candidate;
            }
        }
        throw new IllegalStateException("no deploy/k8s above " + dir);
    }

    private static String indent(List<String> lines) {
        return lines.isEmpty() ? "    (nothing)" : "    " + String.join("\n    ", lines);
    }

    private static void log(String format, Object... args) {
        System.out.println("ConsoleDocsIT " + String.format(format, args));
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> all = Files.walk(dir)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }
}
