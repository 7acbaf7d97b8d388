package dev.ovation.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Consumer;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedRedisIT {

    private static final String HOST = "127.0.0.1";
    private static final Duration DEADLINE = Duration.ofSeconds(30);

    @TempDir
    Path dataDir;

    private int port;
    private RedisClient client;

    @BeforeEach
    void createClient() {
        port = LocalPorts.pickFree(HOST);
        client = RedisClient.create("redis://" + HOST + ":" + port);
    }

    @AfterEach
    void shutdownClient() {
        client.shutdown();
    }

    @Test
    void shouldKeepDataAcrossRestart() {
        // Given a server that stored a value and a counter
        try (EmbeddedRedis redis = EmbeddedRedis.start(dataDir, HOST, port)) {
            write(cmd -> {
                cmd.set("band:1:name", "The Ovations");
                cmd.incrby("tally:band:1", 41);
                cmd.incr("tally:band:1");
            });

            // When it is stopped and started again
            redis.stop();
            assertThat(redis.isRunning()).isFalse();
            redis.start();

            // Then both came back from the append-only file
            assertThat(redis.isRunning()).isTrue();
            assertThat(read(cmd -> cmd.get("band:1:name"))).isEqualTo("The Ovations");
            assertThat(read(cmd -> cmd.get("tally:band:1"))).isEqualTo("42");
        }
        assertThat(dataDir.resolve("appendonly.aof")).isNotEmptyFile();
    }

    @Test
    void shouldStartAgainWithItsDataWhenKilledFromOutside() throws Exception {
        // Given a server that stored a value, on disk (the append-only file rewritten, so fsynced)
        try (EmbeddedRedis redis = EmbeddedRedis.start(dataDir, HOST, port)) {
            write(cmd -> {
                cmd.set("tally", "42");
                cmd.bgrewriteaof();
            });
            await().atMost(DEADLINE).until(() -> read(cmd -> cmd.info("persistence"))
                    .matches("(?s).*aof_rewrite_in_progress:0.*aof_rewrite_scheduled:0.*"));
            long pid = Long.parseLong(Files.readString(dataDir.resolve("redis.pid"), StandardCharsets.US_ASCII).strip());

            // When something else kills it, as the kernel's OOM killer does
            ProcessHandle.of(pid).orElseThrow().destroyForcibly();

            // Then it is started again, by itself, with its data
            await().atMost(DEADLINE).until(() -> redis.isRunning() && RedisPing.answers(HOST, port)
                    && Long.parseLong(Files.readString(dataDir.resolve("redis.pid"), StandardCharsets.US_ASCII).strip()) != pid);
            assertThat(read(cmd -> cmd.get("tally"))).isEqualTo("42");
        }
        assertThat(RedisPing.answers(HOST, port)).isFalse();
    }

    @Test
    void shouldStopOrphanedServerAndKeepItsData() throws Exception {
        // Given a Redis on this data directory whose JVM died without closing it:
        // a server re-parented to init, still answering, holding a value
        try (EmbeddedRedis first = EmbeddedRedis.start(dataDir, HOST, port)) {
            write(cmd -> cmd.set("before", "orphan"));
        }
        Path executable = EmbeddedRedis.executableFrom(System.getenv());
        new ProcessBuilder("sh", "-c", "\"$0\" \"$1\" >/dev/null 2>&1 &", executable.toString(),
                dataDir.resolve("redis.conf").toString()).start().waitFor();
        await().atMost(DEADLINE).until(() -> RedisPing.answers(HOST, port));
        long orphanPid = Long.parseLong(Files.readString(dataDir.resolve("redis.pid"), StandardCharsets.US_ASCII).strip());
        ProcessHandle orphan = ProcessHandle.of(orphanPid).orElseThrow();
        try {
            assertThat(orphan.parent().map(ProcessHandle::pid)).contains(1L);
            write(cmd -> cmd.set("during", "orphan"));

            // When a server starts on the same directory and port
            try (EmbeddedRedis redis = EmbeddedRedis.start(dataDir, HOST, port)) {

                // Then the orphan is gone and what it stored is served by the new server
                assertThat(orphan.isAlive()).isFalse();
                assertThat(read(cmd -> cmd.get("before"))).isEqualTo("orphan");
                assertThat(read(cmd -> cmd.get("during"))).isEqualTo("orphan");
            }
        } finally {
            orphan.destroyForcibly();
        }
    }

    private void write(Consumer<RedisCommands<String, String>> commands) {
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            commands.accept(connection.sync());
        }
    }

    private String read(Function<RedisCommands<String, String>, String> query) {
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            return query.apply(connection.sync());
        }
    }
}
