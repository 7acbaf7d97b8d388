package dev.ovation.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ovation.testkit.EmbeddedRedisCluster.SlotRange;
import org.junit.jupiter.api.Test;

class EmbeddedRedisClusterTest {

    @Test
    void shouldSplitAllSlotsIntoEvenContiguousRanges() {
        assertThat(EmbeddedRedisCluster.evenSlotRanges(3)).containsExactly(
                new SlotRange(0, 5460),
                new SlotRange(5461, 10921),
                new SlotRange(10922, 16383));
        assertThat(EmbeddedRedisCluster.evenSlotRanges(1)).containsExactly(new SlotRange(0, 16383));
        assertThat(EmbeddedRedisCluster.evenSlotRanges(7).stream().mapToInt(SlotRange::count).sum())
                .isEqualTo(EmbeddedRedisCluster.SLOTS);
    }
}
