package dev.ovation.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Finds, in a source tree, what breaks ovation-store's ownership of the data layout: outside the
 * store (and the embedded servers and test fixtures of {@code ovation-infra} and
 * {@code ovation-testkit}), a module may hold no Lua script, and its main code, what ships in
 * {@code ovation.jar}, may not reach Redis itself: no Lettuce import other than an exception type
 * (a role may tell a Redis failure by its type), no {@code .sync()} or {@code .async()} call (the
 * way to Lettuce's commands through {@code RedisLink}), no Redis key spelled out in a string. Tests
 * outside the store may look at and tamper with Redis, through {@code TallyLayout}'s keys.
 */
final class StoreOwnership {

    /** The modules that may hold scripts and use Lettuce: the store, and the servers and fixtures. */
    static final Set<String> OWNERS = Set.of("ovation-store", "ovation-infra", "ovation-testkit");

    /** Main sources that may use Lettuce's commands, by path in the repository, with why. */
    static final Map<String, String> EXCEPTIONS = Map.of(
            "ovation-chaos/src/main/java/dev/ovation/chaos/Fault.java",
            "the fault matrix picks the Redis master to kill by asking each node of its cluster CLUSTER NODES:"
                    + " administration of the test cluster's processes, which reads no key of Ovation");

    private static final Pattern LETTUCE_IMPORT = Pattern.compile("^import\\s+(static\\s+)?(io\\.lettuce\\.[\\w.]+)\\s*;",
            Pattern.MULTILINE);
    private static final Pattern LETTUCE_EXCEPTION = Pattern.compile("io\\.lettuce\\.core\\.Redis\\w*Exception");
    private static final Pattern COMMANDS = Pattern.compile("\\.(sync|async)\\(\\)");
    private static final Pattern KEY = Pattern.compile("\"ovation:[^\\s\"]");

    private StoreOwnership() {
    }

    /** Every violation under {@code root}, one line each: the file (from {@code root}), and what it does. */
    static List<String> violations(Path root) {
        List<String> found = new ArrayList<>();
        for (Path module : modules(root)) {
            if (OWNERS.contains(module.getFileName().toString())) {
                continue;
            }
            for (Path file : files(module.resolve("src"))) {
                String path = root.relativize(file).toString().replace('\\', '/');
                if (path.endsWith(".lua")) {
                    found.add(path + ": a Lua script outside ovation-store");
                }
            }
            for (Path file : files(module.resolve("src/main/java"))) {
                String path = root.relativize(file).toString().replace('\\', '/');
                if (path.endsWith(".java") && !EXCEPTIONS.containsKey(path)) {
                    found.addAll(javaViolations(path, read(file)));
                }
            }
        }
        return found;
    }

    private static List<String> javaViolations(String path, String source) {
        List<String> found = new ArrayList<>();
        Matcher imports = LETTUCE_IMPORT.matcher(source);
        while (imports.find()) {
            if (!LETTUCE_EXCEPTION.matcher(imports.group(2)).matches()) {
                found.add(path + ": imports " + imports.group(2));
            }
        }
        String[] lines = source.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            Matcher commands = COMMANDS.matcher(lines[i]);
            if (commands.find()) {
                found.add(path + ":" + (i + 1) + ": calls ." + commands.group(1) + "()");
            }
            if (KEY.matcher(lines[i]).find()) {
                found.add(path + ":" + (i + 1) + ": spells out a Redis key");
            }
        }
        return found;
    }

    private static List<Path> modules(Path root) {
        try (Stream<Path> dirs = Files.list(root)) {
            return dirs.filter(d -> d.getFileName().toString().startsWith("ovation-"))
                    .filter(d -> Files.isRegularFile(d.resolve("pom.xml")))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<Path> files(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
