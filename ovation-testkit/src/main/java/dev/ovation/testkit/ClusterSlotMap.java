package dev.ovation.testkit;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Which reachable master serves which slots, as one node of a Redis Cluster sees it in its
 * {@code CLUSTER NODES} reply: client port to slot ranges in Redis's own spelling
 * ({@code "0-5460"}, {@code "7"}, several separated by a space).
 *
 * <p>A master this node marks as failing ({@code fail}, {@code fail?}), still in handshake, without
 * an address, or whose link is down is left out: two nodes agree on the cluster only when each
 * reaches every master and both see the same slots on it.
 */
record ClusterSlotMap(Map<Integer, String> slotsByPort) {

    private static final Set<String> UNHEALTHY_FLAGS = Set.of("fail", "fail?", "handshake", "noaddr");
    private static final int FLAGS = 2;
    private static final int LINK_STATE = 7;
    private static final int FIRST_SLOT = 8;

    ClusterSlotMap {
        slotsByPort = Map.copyOf(slotsByPort);
    }

    /**
     * Parses a {@code CLUSTER NODES} reply: one node per line,
     * {@code <id> <ip:port@busport> <flags> <master> <ping-sent> <pong-recv> <config-epoch> <link-state> <slot>...}.
     */
    static ClusterSlotMap fromClusterNodes(String reply) {
        Map<Integer, String> slotsByPort = new TreeMap<>();
        for (String line : reply.split("\n")) {
            String[] fields = line.strip().split(" ");
            if (fields.length <= LINK_STATE) {
                continue;
            }
            List<String> flags = List.of(fields[FLAGS].split(","));
            boolean servingMaster = flags.contains("master")
                    && flags.stream().noneMatch(UNHEALTHY_FLAGS::contains)
                    && "connected".equals(fields[LINK_STATE]);
            if (!servingMaster) {
                continue;
            }
            List<String> slots = new ArrayList<>();
            for (int i = FIRST_SLOT; i < fields.length; i++) {
                // "[slot->-node]" and "[slot-<-node]" mark slots being migrated, not owned ones
                if (!fields[i].startsWith("[")) {
                    slots.add(fields[i]);
                }
            }
            slotsByPort.put(port(fields[1]), String.join(" ", slots));
        }
        return new ClusterSlotMap(slotsByPort);
    }

    private static int port(String address) {
        int busSeparator = address.indexOf('@');
        String hostPort = busSeparator < 0 ? address : address.substring(0, busSeparator);
        return Integer.parseInt(hostPort.substring(hostPort.lastIndexOf(':') + 1));
    }
}
