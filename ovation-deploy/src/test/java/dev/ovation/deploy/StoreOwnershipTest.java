package dev.ovation.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ovation-store is the one owner of the data layout (CONTRIBUTING.md, docs/design.md): no other module
 * holds a Lua script, and no other module's main code uses Lettuce's commands or spells out a Redis key
 * ({@link StoreOwnership} says what counts, and the one exception with its reason).
 */
class StoreOwnershipTest {

    @TempDir
    Path tree;

    @Test
    void shouldKeepScriptsAndRedisCommandsInTheStore() {
        assertThat(StoreOwnership.violations(Repository.root())).isEmpty();
    }

    @Test
    void shouldListOnlyExceptionsThatStillUseLettuce() throws IOException {
        for (String path : StoreOwnership.EXCEPTIONS.keySet()) {
            assertThat(Files.readString(Repository.path(path))).as(path).contains("import io.lettuce.");
        }
    }

    @Test
    void shouldFindEveryKindOfViolationOutsideTheStore() throws IOException {
        // Given a counter with a script in its main and test resources, a class importing Lettuce's
        // command API, one calling RedisLink's commands and spelling a key, and one importing only
        // an exception type; and the same in the store, the infra and the testkit
        String leaky = """
                package dev.ovation.counter;

                import io.lettuce.core.ScriptOutputType;
                import io.lettuce.core.cluster.api.sync.RedisClusterCommands;

                final class Leaky {
                    Object read(RedisLink redis) {
                        return redis.sync().hgetall("ovation:{s1}:tally:default");
                    }
                    Object later(RedisLink redis) {
                        return redis.async().get("x");
                    }
                }
                """;
        String failures = """
                package dev.ovation.counter;

                import io.lettuce.core.RedisCommandTimeoutException;
                import io.lettuce.core.RedisException;

                final class Failures {
                    String say() {
                        return "ovation: Redis did not answer";
                    }
                }
                """;
        for (String module : new String[] {"ovation-counter", "ovation-store", "ovation-infra", "ovation-testkit"}) {
            write(module + "/pom.xml", "<project/>");
            write(module + "/src/main/resources/dev/ovation/x/recount.lua", "return 1");
            write(module + "/src/test/resources/fixture.lua", "return 2");
            write(module + "/src/main/java/dev/ovation/x/Leaky.java", leaky);
            write(module + "/src/main/java/dev/ovation/x/Failures.java", failures);
        }
        // and the listed exception of ovation-chaos beside another chaos class doing the same
        write("ovation-chaos/pom.xml", "<project/>");
        write("ovation-chaos/src/main/java/dev/ovation/chaos/Fault.java", leaky);
        write("ovation-chaos/src/main/java/dev/ovation/chaos/Checker.java", leaky);
        // and a directory that is no module
        write("ovation-notes/src/main/resources/notes.lua", "return 3");

        // When scanning
        // Then each violation outside the owners is found, once, and nothing else
        assertThat(StoreOwnership.violations(tree)).containsExactly(
                "ovation-chaos/src/main/java/dev/ovation/chaos/Checker.java: imports io.lettuce.core.ScriptOutputType",
                "ovation-chaos/src/main/java/dev/ovation/chaos/Checker.java: imports"
                        + " io.lettuce.core.cluster.api.sync.RedisClusterCommands",
                "ovation-chaos/src/main/java/dev/ovation/chaos/Checker.java:8: calls .sync()",
                "ovation-chaos/src/main/java/dev/ovation/chaos/Checker.java:8: spells out a Redis key",
                "ovation-chaos/src/main/java/dev/ovation/chaos/Checker.java:11: calls .async()",
                "ovation-counter/src/main/resources/dev/ovation/x/recount.lua: a Lua script outside ovation-store",
                "ovation-counter/src/test/resources/fixture.lua: a Lua script outside ovation-store",
                "ovation-counter/src/main/java/dev/ovation/x/Leaky.java: imports io.lettuce.core.ScriptOutputType",
                "ovation-counter/src/main/java/dev/ovation/x/Leaky.java: imports"
                        + " io.lettuce.core.cluster.api.sync.RedisClusterCommands",
                "ovation-counter/src/main/java/dev/ovation/x/Leaky.java:8: calls .sync()",
                "ovation-counter/src/main/java/dev/ovation/x/Leaky.java:8: spells out a Redis key",
                "ovation-counter/src/main/java/dev/ovation/x/Leaky.java:11: calls .async()");
    }

    private void write(String relative, String content) throws IOException {
        Path file = tree.resolve(relative);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
    }
}
