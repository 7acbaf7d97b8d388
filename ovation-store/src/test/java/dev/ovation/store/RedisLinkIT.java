package dev.ovation.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ovation.infra.LocalPorts;
import dev.ovation.model.UnreachableException;
import dev.ovation.testkit.EmbeddedRedisCluster;
import io.lettuce.core.cluster.SlotHash;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RedisLinkIT {

    @TempDir
    Path dir;

    @Test
    void shouldOpenAClusterWhoseFirstSeedIsDown() {
        try (EmbeddedRedisCluster cluster = EmbeddedRedisCluster.start(dir, "127.0.0.1",
                EmbeddedRedisCluster.pickFreeFirstPort("127.0.0.1", 3), 3)) {
            List<String> seeds = new ArrayList<>(cluster.seedUris());
            cluster.nodes().get(0).kill();

            // the first seed refuses connections: the link asks the next one (a killed master's
            // slots cannot be written, but the role starts and serves the others)
            try (RedisLink link = RedisLink.open(String.join(",", seeds), Duration.ofSeconds(2))) {
                assertThat(link.isCluster()).isTrue();
                String key = "probe";
                for (int i = 0; cluster.nodes().get(0).slots().contains(SlotHash.getSlot(key)); i++) {
                    key = "probe-" + i;
                }
                link.sync().set(key, "x");
                assertThat(link.sync().get(key)).isEqualTo("x");
            }
        }
    }

    @Test
    void shouldSayWhichSettingToCheckWhenNoSeedAnswers() {
        String none = "redis://127.0.0.1:" + LocalPorts.pickFree("127.0.0.1") + ",redis://127.0.0.1:"
                + LocalPorts.pickFree("127.0.0.1");

        assertThatThrownBy(() -> RedisLink.open(none, Duration.ofSeconds(1)))
                .isInstanceOf(UnreachableException.class)
                .hasMessageContaining("is unreachable")
                .hasMessageContaining("check OVATION_REDIS");
    }
}
