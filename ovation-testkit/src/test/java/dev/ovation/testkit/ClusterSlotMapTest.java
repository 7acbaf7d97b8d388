package dev.ovation.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ClusterSlotMapTest {

    @Test
    void shouldMapEachConnectedMasterToItsSlots() {
        // Given a CLUSTER NODES reply from a healthy three-master cluster
        String reply = """
                07c37dfeb235213a872192d90877d0cd55635b91 127.0.0.1:30002@40002 master - 0 1426238316232 2 connected 5461-10921
                67ed2db8d677e59ec4a4cefb06858cf2a1a89fa1 127.0.0.1:30001@40001 myself,master - 0 0 1 connected 0-5460
                824fe116063bc5fcf9f4ffd895bc17aee7731ac3 127.0.0.1:30003@40003 master - 0 1426238317741 3 connected 10922-16383
                """;

        // When it is parsed
        ClusterSlotMap map = ClusterSlotMap.fromClusterNodes(reply);

        // Then every master's port maps to its range
        assertThat(map.slotsByPort()).containsExactlyInAnyOrderEntriesOf(Map.of(
                30001, "0-5460", 30002, "5461-10921", 30003, "10922-16383"));
    }

    @Test
    void shouldLeaveOutFailingDisconnectedAndHandshakingMasters() {
        // Given one master marked failed, one whose link is down, one still in handshake
        String reply = """
                aaaa 127.0.0.1:30001@40001 myself,master - 0 0 1 connected 0-5460 7
                bbbb 127.0.0.1:30002@40002 master,fail - 1426238316232 1426238316232 2 disconnected 5461-10921
                cccc 127.0.0.1:30003@40003 master - 0 1426238317741 3 disconnected 10922-16383
                dddd 127.0.0.1:30004@40004 master,handshake - 0 0 0 connected
                """;

        // When it is parsed
        ClusterSlotMap map = ClusterSlotMap.fromClusterNodes(reply);

        // Then only the reachable master counts, with all its slots
        assertThat(map.slotsByPort()).containsExactlyInAnyOrderEntriesOf(Map.of(30001, "0-5460 7"));
    }

    @Test
    void shouldIgnoreSlotsBeingMigrated() {
        String reply = "aaaa 127.0.0.1:30001@40001 myself,master - 0 0 1 connected 0-5460 [5461->-bbbb]\n";

        assertThat(ClusterSlotMap.fromClusterNodes(reply).slotsByPort()).containsExactly(Map.entry(30001, "0-5460"));
    }
}
