package dev.ovation.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.ovation.testkit.EmbeddedRedisCluster.Master;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.sync.RedisAdvancedClusterCommands;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedRedisClusterIT {

    private static final String HOST = "127.0.0.1";
    private static final int MASTERS = 3;
    private static final int KEYS = 1_000;
    private static final Duration DEADLINE = Duration.ofSeconds(30);

    @TempDir
    Path dataDir;

    private int firstPort;
    private EmbeddedRedisCluster cluster;
    private RedisClusterClient client;

    @BeforeEach
    void startCluster() {
        firstPort = EmbeddedRedisCluster.pickFreeFirstPort(HOST, MASTERS);
        cluster = EmbeddedRedisCluster.start(dataDir, HOST, firstPort, MASTERS);
        client = RedisClusterClient.create(cluster.seedUris().stream().map(RedisURI::create).toList());
    }

    @AfterEach
    void stopCluster() {
        client.shutdown();
        cluster.close();
    }

    @Test
    void shouldGiveEachMasterAThirdOfTheSlots() {
        // Given the started cluster, When a cluster client reads its topology
        Map<Integer, Integer> slotCountByPort = new LinkedHashMap<>();
        Map<Integer, Boolean> upstreamByPort = new LinkedHashMap<>();
        try (StatefulRedisClusterConnection<String, String> connection = client.connect()) {
            for (RedisClusterNode node : client.getPartitions()) {
                slotCountByPort.put(node.getUri().getPort(), node.getSlots().size());
                upstreamByPort.put(node.getUri().getPort(), node.is(RedisClusterNode.NodeFlag.UPSTREAM));
            }
        }

        // Then there are three masters holding 5461, 5461 and 5462 slots, as the cluster says it assigned them
        assertThat(slotCountByPort).containsExactlyInAnyOrderEntriesOf(Map.of(
                firstPort, 5_461, firstPort + 1, 5_461, firstPort + 2, 5_462));
        assertThat(upstreamByPort).containsOnlyKeys(firstPort, firstPort + 1, firstPort + 2).doesNotContainValue(false);
        assertThat(cluster.nodes()).extracting(Master::slots).extracting(EmbeddedRedisCluster.SlotRange::count)
                .containsExactly(5_461, 5_461, 5_462);
        assertThat(cluster.seedUris()).containsExactly(
                "redis://" + HOST + ":" + firstPort,
                "redis://" + HOST + ":" + (firstPort + 1),
                "redis://" + HOST + ":" + (firstPort + 2));
    }

    @Test
    void shouldStoreAndReadBackKeysInAThousandDistinctSlots() {
        // Given 1,000 keys, each in a slot of its own
        List<String> keys = keysInDistinctSlots(KEYS);

        // When each is written through the cluster client
        writeAll(keys);

        // Then each reads back, and the masters together hold exactly those keys
        Map<String, String> read = readAll(keys);
        assertThat(read).hasSize(KEYS);
        keys.forEach(key -> assertThat(read.get(key)).isEqualTo(valueOf(key)));
        assertThat(clusterKeyCount()).isEqualTo(KEYS);
        for (Master master : cluster.nodes()) {
            long owned = keys.stream().filter(key -> master.slots().contains(SlotHash.getSlot(key))).count();
            assertThat(owned).as("keys on %s", master).isPositive();
            assertThat(keyCountOn(master)).as("DBSIZE of %s", master).isEqualTo(owned);
        }
    }

    @Test
    void shouldRunScriptWhoseKeysShareAHashTagAndRejectOneAcrossSlots() {
        String script = "redis.call('SET', KEYS[1], ARGV[1]); redis.call('SET', KEYS[2], ARGV[1]); "
                + "return redis.call('MGET', KEYS[1], KEYS[2])";
        assertThat(SlotHash.getSlot("a")).isNotEqualTo(SlotHash.getSlot("b"));

        // When a script touches two keys with the hash tag {p3}, Then it runs on their one slot
        List<Object> shared = sync(cmd -> cmd.eval(script, ScriptOutputType.MULTI, new String[] {"{p3}:a", "{p3}:b"}, "7"));
        assertThat(shared).containsExactly("7", "7");

        // When a script touches two keys in different slots, Then Redis refuses it
        assertThatThrownBy(() -> sync(cmd -> cmd.eval(script, ScriptOutputType.MULTI, new String[] {"a", "b"}, "7")))
                .isInstanceOf(RedisCommandExecutionException.class)
                .hasMessageStartingWith("CROSSSLOT");
        Long created = sync(cmd -> cmd.exists("a", "b"));
        assertThat(created).isZero();
    }

    @Test
    void shouldBringBackKilledMastersKeysWhenItRestarts() {
        // Given 1,000 keys written, and the middle master's share of them in its append-only file:
        // a SIGKILL loses only what Redis had not yet written to the file (the kernel keeps the rest)
        List<String> keys = keysInDistinctSlots(KEYS);
        writeAll(keys);
        Master victim = cluster.nodes().get(1);
        List<String> victimKeys = keys.stream().filter(key -> victim.slots().contains(SlotHash.getSlot(key))).toList();
        assertThat(victimKeys).isNotEmpty();
        await().atMost(DEADLINE).until(() -> aofBufferLength(victim) == 0);

        // When it is killed, as a crash would
        victim.kill();

        // Then it is gone
        assertThat(victim.isRunning()).isFalse();
        assertThat(answersPing(victim)).isFalse();

        // When it is restarted on the same data
        victim.restart();

        // Then it serves its own keys again, and the cluster all of them
        assertThat(victim.isRunning()).isTrue();
        assertThat(keyCountOn(victim)).isEqualTo(victimKeys.size());
        Map<String, String> read = readAll(keys);
        keys.forEach(key -> assertThat(read.get(key)).as(key).isEqualTo(valueOf(key)));
        assertThat(clusterKeyCount()).isEqualTo(KEYS);
    }

    @Test
    void shouldRejoinWithItsDataWhenStartedAgainOnTheSameDirectory() {
        // Given a cluster that stored keys and was closed (twice: closing is idempotent)
        List<String> keys = keysInDistinctSlots(KEYS);
        writeAll(keys);
        client.shutdown();
        cluster.close();
        cluster.close();
        assertThat(cluster.nodes()).noneMatch(Master::isRunning);

        // When it is started again on the same directory and ports
        cluster = EmbeddedRedisCluster.start(dataDir, HOST, firstPort, MASTERS);
        client = RedisClusterClient.create(cluster.seedUris().stream().map(RedisURI::create).toList());

        // Then the masters rejoined with their slots and keys instead of forming a new, empty cluster
        Map<String, String> read = readAll(keys);
        keys.forEach(key -> assertThat(read.get(key)).as(key).isEqualTo(valueOf(key)));
        assertThat(clusterKeyCount()).isEqualTo(KEYS);
    }

    private static List<String> keysInDistinctSlots(int count) {
        BitSet usedSlots = new BitSet(EmbeddedRedisCluster.SLOTS);
        List<String> keys = new ArrayList<>(count);
        for (int i = 0; keys.size() < count; i++) {
            String key = "tally:band:" + i;
            int slot = SlotHash.getSlot(key);
            if (!usedSlots.get(slot)) {
                usedSlots.set(slot);
                keys.add(key);
            }
        }
        return keys;
    }

    private static String valueOf(String key) {
        return "votes-for-" + key;
    }

    private void writeAll(List<String> keys) {
        try (StatefulRedisClusterConnection<String, String> connection = client.connect()) {
            keys.forEach(key -> assertThat(connection.sync().set(key, valueOf(key))).isEqualTo("OK"));
        }
    }

    private Map<String, String> readAll(List<String> keys) {
        Map<String, String> values = new LinkedHashMap<>();
        try (StatefulRedisClusterConnection<String, String> connection = client.connect()) {
            keys.forEach(key -> values.put(key, connection.sync().get(key)));
        }
        return values;
    }

    private <T> T sync(Function<RedisAdvancedClusterCommands<String, String>, T> command) {
        try (StatefulRedisClusterConnection<String, String> connection = client.connect()) {
            return command.apply(connection.sync());
        }
    }

    private long clusterKeyCount() {
        Long keys = sync(RedisAdvancedClusterCommands::dbsize);
        return keys;
    }

    private long keyCountOn(Master master) {
        Long keys = onNode(master, RedisCommands::dbsize);
        return keys;
    }

    private <T> T onNode(Master master, Function<RedisCommands<String, String>, T> command) {
        try (StatefulRedisClusterConnection<String, String> connection = client.connect()) {
            StatefulRedisConnection<String, String> node = connection.getConnection(HOST, master.port());
            return command.apply(node.sync());
        }
    }

    /** Whether the master answers {@code PING} on a connection of its own, outside the cluster client. */
    private static boolean answersPing(Master master) {
        try (RedisAdminConnection connection = RedisAdminConnection.open(HOST, master.port(), Duration.ofSeconds(1))) {
            return "PONG".equals(connection.callForText("PING"));
        } catch (IOException refused) {
            return false;
        }
    }

    /** {@code aof_buffer_length} from {@code INFO persistence}: bytes not yet written to the append-only file. */
    private long aofBufferLength(Master master) {
        String info = onNode(master, cmd -> cmd.info("persistence"));
        return info.lines()
                .filter(line -> line.startsWith("aof_buffer_length:"))
                .mapToLong(line -> Long.parseLong(line.substring("aof_buffer_length:".length()).strip()))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no aof_buffer_length in INFO persistence: " + info));
    }
}
