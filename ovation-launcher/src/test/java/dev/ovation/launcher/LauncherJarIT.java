package dev.ovation.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import redis.embedded.core.ExecutableProvider;
import redis.embedded.model.OsArchitecture;

/** The executable jar ({@code target/ovation.jar}) as the build made it. */
class LauncherJarIT {

    private static final Path JAR = Path.of("target", "ovation.jar");
    /** The classes of ovation-testkit: fixtures that tests kill and restart, never shipped. */
    private static final Set<String> TEST_FIXTURES = Set.of("EmbeddedRedisCluster", "ClusterSlotMap", "RedisAdminConnection");

    @Test
    void shouldCarryTheRedisServerThatStandaloneStartsOnEachSystem() throws IOException {
        // Given the binary that the embedded Redis picks for each system it knows
        Map<OsArchitecture, String> binaries = ExecutableProvider.newProvidedVersionsMap();
        assertThat(binaries).containsOnly(
                Map.entry(OsArchitecture.UNIX_x86_64, "/redis-server-6.2.6-v5-linux-amd64"),
                Map.entry(OsArchitecture.UNIX_AARCH64, "/redis-server-6.2.7-linux-arm64"),
                Map.entry(OsArchitecture.UNIX_x86, "/redis-server-6.2.7-linux-386"),
                Map.entry(OsArchitecture.MAC_OS_X_x86_64, "/redis-server-6.2.6-v5-darwin-amd64"),
                Map.entry(OsArchitecture.MAC_OS_X_ARM64, "/redis-server-6.2.6-v5-darwin-arm64"),
                Map.entry(OsArchitecture.WINDOWS_x86_64, "/redis-server-5.0.14.1-windows-amd64.exe"));

        // Then the jar holds each of them, whole
        try (JarFile jar = new JarFile(JAR.toFile())) {
            for (String binary : binaries.values()) {
                JarEntry entry = jar.getJarEntry(binary.substring(1));
                assertThat(entry).as(binary).isNotNull();
                assertThat(entry.getSize()).as(binary).isEqualTo(sizeInTheEmbeddedRedisArtifact(binary)).isPositive();
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "ovation.jar,                        dev/ovation/infra/EmbeddedRedis.class",
        "image/ovation.jar,                  dev/ovation/infra/EmbeddedRedis.class",
        "image/lib/ovation-dependencies.jar, redis/embedded/core/ExecutableProvider.class",
    })
    void shouldShipNoTestFixture(String built, String shipped) throws IOException {
        // Given a jar the build made for users to run (the fat jar, and the container image's two),
        // holding what it should: the standalone's own Redis stays
        List<String> entries;
        try (JarFile jar = new JarFile(Path.of("target").resolve(built).toFile())) {
            entries = jar.stream().map(JarEntry::getName).toList();
        }
        assertThat(entries).as(built).contains(shipped);

        // Then the test kit (a test-scoped dependency) is not in it, under its package or any other
        assertThat(entries).as(built).noneMatch(name -> name.startsWith("dev/ovation/testkit/"));
        assertThat(entries).as(built).filteredOn(name -> name.endsWith(".class"))
                .noneMatch(name -> TEST_FIXTURES.contains(simpleName(name)));
    }

    /** {@code a/b/Outer$Inner.class} → {@code Outer}. */
    private static String simpleName(String classEntry) {
        String file = classEntry.substring(classEntry.lastIndexOf('/') + 1, classEntry.length() - ".class".length());
        int nested = file.indexOf('$');
        return nested < 0 ? file : file.substring(0, nested);
    }

    private static long sizeInTheEmbeddedRedisArtifact(String binary) throws IOException {
        try (InputStream in = ExecutableProvider.class.getResourceAsStream(binary)) {
            assertThat(in).as(binary + " in com.github.codemonstur:embedded-redis").isNotNull();
            return in.transferTo(OutputStream.nullOutputStream());
        }
    }
}
