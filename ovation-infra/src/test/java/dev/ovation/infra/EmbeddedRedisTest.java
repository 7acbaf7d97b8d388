package dev.ovation.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedRedisTest {

    @TempDir
    Path dir;

    @Test
    void shouldUseBinaryNamedByEnvironment() throws IOException {
        // Given an executable named by OVATION_REDIS_SERVER
        Path binary = Files.writeString(dir.resolve("redis-server"), "#!/bin/sh\n");
        assertThat(binary.toFile().setExecutable(true)).isTrue();

        // When
        Path chosen = EmbeddedRedis.executableFrom(Map.of(EmbeddedRedis.REDIS_SERVER_ENV, binary.toString()));

        // Then
        assertThat(chosen).isEqualTo(binary);
    }

    @Test
    void shouldRejectMissingBinaryNamedByEnvironment() {
        Path missing = dir.resolve("no-such-redis-server");

        assertThatThrownBy(() -> EmbeddedRedis.executableFrom(Map.of(EmbeddedRedis.REDIS_SERVER_ENV, missing.toString())))
                .isInstanceOf(IOException.class)
                .hasMessage("OVATION_REDIS_SERVER=" + missing + " is not an executable file");
    }

    @Test
    void shouldFallBackToBundledBinaryWhenEnvironmentNamesNone() throws IOException {
        // When
        Path chosen = EmbeddedRedis.executableFrom(Map.of());

        // Then
        assertThat(chosen.getFileName().toString()).startsWith("redis-server-");
        assertThat(Files.isExecutable(chosen)).isTrue();
    }

    @Test
    void shouldDescribeItselfByUri() {
        EmbeddedRedis redis = new EmbeddedRedis(dir, "127.0.0.1", 16379, dir.resolve("redis-server"));

        assertThat(redis.uri()).isEqualTo("redis://127.0.0.1:16379");
        assertThat(redis.isRunning()).isFalse();
    }
}
