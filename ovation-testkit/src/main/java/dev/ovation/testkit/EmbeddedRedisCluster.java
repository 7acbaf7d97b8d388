package dev.ovation.testkit;

import dev.ovation.infra.EmbeddedRedis;
import dev.ovation.infra.InfrastructureStartException;
import dev.ovation.infra.LocalPorts;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Redis Cluster of masters only, each a {@link EmbeddedRedis} child process (Redis 6.2) with its
 * own data directory {@code <dataDir>/<port>/} holding its append-only file and {@code nodes.conf}.
 * For integration tests of code that talks to a cluster: a test fixture, in this test-scoped module so
 * that it never ships in {@code ovation.jar} (the standalone's single {@link EmbeddedRedis} stays in
 * {@code ovation-infra}).
 *
 * <pre>{@code
 * int firstPort = EmbeddedRedisCluster.pickFreeFirstPort("127.0.0.1", 3);
 * try (EmbeddedRedisCluster cluster = EmbeddedRedisCluster.start(dir, "127.0.0.1", firstPort, 3)) {
 *     RedisClusterClient client = RedisClusterClient.create(
 *             cluster.seedUris().stream().map(RedisURI::create).toList());
 *     ...
 * }
 * }</pre>
 *
 * <p>Master {@code i} listens on {@code firstPort + i} and on the cluster bus port
 * {@code firstPort + i + 10000} (Redis 6.2 has no {@code cluster-port}). The 16384 slots are split
 * into {@code masters} contiguous ranges of equal size, give or take one slot (see
 * {@link #evenSlotRanges(int)}), and master {@code i} is given range {@code i} with
 * {@code CLUSTER ADDSLOTS} (6.2 has no {@code ADDSLOTSRANGE}). Each master gets its own config
 * epoch, then the first one meets the others ({@code CLUSTER MEET}); {@link #start} returns once every
 * master reports {@code cluster_state:ok} and sees the same slot map. Everything is sent over the
 * Redis protocol: no {@code redis-cli} is needed (the {@code embedded-redis} artifact ships none).
 *
 * <p>There are no replicas: while a master is down its slots are unavailable, and with
 * {@code cluster-require-full-coverage} at its default the whole cluster answers
 * {@code CLUSTERDOWN} once the others have marked it failed (after the 2 s node timeout). It serves
 * again after {@link Master#restart()}, which brings it back from its append-only file and
 * {@code nodes.conf}.
 *
 * <p>Started again on the same data directory and ports after {@link #close()}, the masters rejoin
 * from their {@code nodes.conf} with their data instead of forming a new cluster.
 */
public final class EmbeddedRedisCluster implements AutoCloseable {

    /** The number of hash slots in a Redis Cluster. */
    public static final int SLOTS = 16_384;

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedRedisCluster.class);
    private static final String COMPONENT = "Redis Cluster";
    private static final int BUS_PORT_OFFSET = 10_000;
    private static final int MAX_PORT = 65_535;
    private static final int NODE_TIMEOUT_MS = 2_000;
    private static final Duration HEALTHY_DEADLINE = Duration.ofSeconds(30);
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration POLL_INTERVAL = Duration.ofMillis(50);
    private static final int PORT_PICK_ATTEMPTS = 100;

    private final String host;
    private final List<Master> masters;
    private final Map<Integer, String> expectedSlotMap;
    private boolean closed;

    private EmbeddedRedisCluster(String host, List<EmbeddedRedis> servers, int firstPort, List<SlotRange> ranges) {
        this.host = host;
        List<Master> nodes = new ArrayList<>();
        Map<Integer, String> expected = new TreeMap<>();
        for (int i = 0; i < servers.size(); i++) {
            nodes.add(new Master(servers.get(i), firstPort + i, ranges.get(i)));
            expected.put(firstPort + i, ranges.get(i).toString());
        }
        this.masters = List.copyOf(nodes);
        this.expectedSlotMap = Map.copyOf(expected);
    }

    /**
     * Starts {@code masters} masters on {@code host}, ports {@code firstPort} to
     * {@code firstPort + masters - 1}, each persisting to an append-only file
     * ({@code appendfsync everysec}) under {@code dataDir}, and returns once the cluster is ok on
     * every master.
     *
     * @throws IllegalArgumentException when {@code masters} is below 1 or a bus port would pass 65535
     * @throws InfrastructureStartException when a master cannot start or the cluster is not ok within 30 s
     */
    public static EmbeddedRedisCluster start(Path dataDir, String host, int firstPort, int masters) {
        if (masters < 1) {
            throw new IllegalArgumentException("A cluster needs at least one master, not " + masters);
        }
        if (firstPort < 1 || firstPort + masters - 1 + BUS_PORT_OFFSET > MAX_PORT) {
            throw new IllegalArgumentException("Ports " + firstPort + ".." + (firstPort + masters - 1)
                    + " leave no room for their cluster bus ports (+" + BUS_PORT_OFFSET + ", at most " + MAX_PORT + ")");
        }
        long startNanos = System.nanoTime();
        Path executable;
        try {
            executable = EmbeddedRedis.executableFrom(System.getenv());
        } catch (IOException | RuntimeException e) {
            throw new InfrastructureStartException(COMPONENT, host, firstPort, "no redis-server binary: " + e.getMessage(), e);
        }
        List<EmbeddedRedis> servers = new ArrayList<>();
        try {
            for (int i = 0; i < masters; i++) {
                Path nodeDir = dataDir.toAbsolutePath().resolve(Integer.toString(firstPort + i));
                EmbeddedRedis server = new EmbeddedRedis(nodeDir, host, firstPort + i, executable, clusterDirectives(nodeDir));
                servers.add(server);
                server.start();
            }
            EmbeddedRedisCluster cluster = new EmbeddedRedisCluster(host, servers, firstPort, evenSlotRanges(masters));
            cluster.formOrRejoin(dataDir);
            LOG.info("Redis Cluster of {} masters ready on {}:{}..{} in {} ms (data in {})", masters, host, firstPort,
                    firstPort + masters - 1, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos), dataDir);
            return cluster;
        } catch (RuntimeException e) {
            for (EmbeddedRedis server : servers) {
                try {
                    server.stop();
                } catch (RuntimeException stopping) {
                    e.addSuppressed(stopping);
                }
            }
            throw e;
        }
    }

    /**
     * Returns a port {@code p} such that {@code p} to {@code p + masters - 1} and their cluster bus
     * ports ({@code +10000}) were free on {@code host} a moment ago: a {@code firstPort} for
     * {@link #start}.
     *
     * @throws IllegalStateException when no such run of ports turns up after 100 tries
     */
    public static int pickFreeFirstPort(String host, int masters) {
        for (int attempt = 0; attempt < PORT_PICK_ATTEMPTS; attempt++) {
            int candidate = LocalPorts.pickFree(host);
            if (candidate + masters - 1 + BUS_PORT_OFFSET > MAX_PORT) {
                continue;
            }
            boolean allFree = true;
            for (int i = 0; i < masters && allFree; i++) {
                allFree = isFree(host, candidate + i) && isFree(host, candidate + i + BUS_PORT_OFFSET);
            }
            if (allFree) {
                return candidate;
            }
        }
        throw new IllegalStateException("No free run of " + masters + " ports with free bus ports on " + host
                + " after " + PORT_PICK_ATTEMPTS + " tries");
    }

    /**
     * Splits the 16384 slots into {@code masters} contiguous ranges, in order, whose sizes differ by
     * at most one: range {@code i} starts at {@code i * 16384 / masters}. For 3 masters:
     * 0-5460, 5461-10921, 10922-16383.
     */
    static List<SlotRange> evenSlotRanges(int masters) {
        List<SlotRange> ranges = new ArrayList<>(masters);
        for (int i = 0; i < masters; i++) {
            ranges.add(new SlotRange(i * SLOTS / masters, (i + 1) * SLOTS / masters - 1));
        }
        return List.copyOf(ranges);
    }

    /** {@code redis://host:port} of every master, in port order: seeds for a cluster client. */
    public List<String> seedUris() {
        return masters.stream().map(Master::uri).toList();
    }

    /** The masters, in port order. */
    public List<Master> nodes() {
        return masters;
    }

    /**
     * Stops every master gracefully (each fsyncs its append-only file and saves {@code nodes.conf}).
     * Does nothing the second time.
     *
     * @throws IllegalStateException when a master does not stop within 30 s (it is then killed);
     *     the others are stopped all the same
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        RuntimeException failure = null;
        for (int i = masters.size() - 1; i >= 0; i--) {
            try {
                masters.get(i).redis.stop();
            } catch (RuntimeException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    @Override
    public String toString() {
        return "EmbeddedRedisCluster" + seedUris();
    }

    private static List<String> clusterDirectives(Path nodeDir) {
        return List.of(
                "cluster-enabled yes",
                "cluster-config-file " + EmbeddedRedis.quoted(nodeDir.resolve("nodes.conf")),
                "cluster-node-timeout " + NODE_TIMEOUT_MS);
    }

    private static boolean isFree(String host, int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getByName(host), port), 1);
            return true;
        } catch (IOException taken) {
            return false;
        }
    }

    /** Forms the cluster when every master is fresh; otherwise lets them rejoin from {@code nodes.conf}. */
    private void formOrRejoin(Path dataDir) {
        int firstPort = masters.get(0).port;
        try {
            boolean fresh = true;
            for (Master master : masters) {
                try (RedisAdminConnection connection = master.connect()) {
                    Map<String, String> info = clusterInfo(connection);
                    fresh &= "1".equals(info.get("cluster_known_nodes")) && "0".equals(info.get("cluster_slots_assigned"));
                }
            }
            if (fresh) {
                form();
            } else {
                LOG.info("Redis Cluster masters in {} rejoin from their nodes.conf", dataDir);
            }
        } catch (IOException e) {
            throw new InfrastructureStartException(COMPONENT, host, firstPort, "cannot form the cluster: " + e.getMessage(), e);
        }
        awaitHealthy();
    }

    private void form() throws IOException {
        for (int i = 0; i < masters.size(); i++) {
            Master master = masters.get(i);
            List<String> addSlots = new ArrayList<>(List.of("CLUSTER", "ADDSLOTS"));
            for (int slot = master.slots.first(); slot <= master.slots.last(); slot++) {
                addSlots.add(Integer.toString(slot));
            }
            try (RedisAdminConnection connection = master.connect()) {
                connection.call(addSlots);
                // distinct epochs up front, as redis-cli does, instead of waiting for the collision rule to separate them
                connection.callForText("CLUSTER", "SET-CONFIG-EPOCH", Integer.toString(i + 1));
            }
        }
        String ip = InetAddress.getByName(host).getHostAddress();
        try (RedisAdminConnection first = masters.get(0).connect()) {
            for (Master other : masters.subList(1, masters.size())) {
                first.callForText("CLUSTER", "MEET", ip, Integer.toString(other.port));
            }
        }
    }

    /**
     * Waits until every master answers {@code cluster_state:ok} and sees every master serving the
     * slots it was given.
     */
    private void awaitHealthy() {
        long startNanos = System.nanoTime();
        long deadline = startNanos + HEALTHY_DEADLINE.toNanos();
        String lastObservation;
        while (true) {
            lastObservation = firstUnhealthyObservation();
            if (lastObservation == null) {
                LOG.debug("Redis Cluster ok on all {} masters after {} ms", masters.size(),
                        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos));
                return;
            }
            if (System.nanoTime() - deadline > 0) {
                throw new InfrastructureStartException(COMPONENT, host, masters.get(0).port, "not ok within "
                        + HEALTHY_DEADLINE.toSeconds() + " s: " + lastObservation, null);
            }
            try {
                Thread.sleep(POLL_INTERVAL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while waiting for the Redis Cluster on " + seedUris(), e);
            }
        }
    }

    /** {@code null} when every master is ok and agrees on the slot map, else what the first one that is not says. */
    private String firstUnhealthyObservation() {
        for (Master master : masters) {
            try (RedisAdminConnection connection = master.connect()) {
                String state = clusterInfo(connection).get("cluster_state");
                if (!"ok".equals(state)) {
                    return master.uri() + " reports cluster_state:" + state;
                }
                ClusterSlotMap seen = ClusterSlotMap.fromClusterNodes(connection.callForText("CLUSTER", "NODES"));
                if (!seen.slotsByPort().equals(expectedSlotMap)) {
                    return master.uri() + " sees masters serving " + seen.slotsByPort() + " instead of " + expectedSlotMap;
                }
            } catch (IOException e) {
                // a master still loading its append-only file answers -LOADING; the last one is reported at the deadline
                return master.uri() + " does not answer: " + e.getMessage();
            }
        }
        return null;
    }

    private static Map<String, String> clusterInfo(RedisAdminConnection connection) throws IOException {
        Map<String, String> fields = new TreeMap<>();
        for (String line : connection.callForText("CLUSTER", "INFO").split("\r?\n")) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                fields.put(line.substring(0, colon), line.substring(colon + 1).strip());
            }
        }
        return fields;
    }

    /** A contiguous range of hash slots, both ends included. */
    public record SlotRange(int first, int last) {

        /** How many slots the range holds. */
        public int count() {
            return last - first + 1;
        }

        /** Whether {@code slot} lies in the range. */
        public boolean contains(int slot) {
            return slot >= first && slot <= last;
        }

        /** As Redis writes it in {@code CLUSTER NODES}: {@code "0-5460"}, or {@code "7"} for one slot. */
        @Override
        public String toString() {
            return first == last ? Integer.toString(first) : first + "-" + last;
        }
    }

    /** One master of the cluster: its address, its slots, and crash and restart for fault tests. */
    public final class Master {

        private final EmbeddedRedis redis;
        private final int port;
        private final SlotRange slots;

        private Master(EmbeddedRedis redis, int port, SlotRange slots) {
            this.redis = redis;
            this.port = port;
            this.slots = slots;
        }

        /** The client port. */
        public int port() {
            return port;
        }

        /** {@code redis://host:port}. */
        public String uri() {
            return redis.uri();
        }

        /** The slots this master was given. */
        public SlotRange slots() {
            return slots;
        }

        /** Whether its process is running. */
        public boolean isRunning() {
            return redis.isRunning();
        }

        /**
         * Kills the process with SIGKILL, as a crash would. What Redis had written to its
         * append-only file survives (the kernel holds it); with {@code appendfsync everysec} a
         * write Redis postponed while the disk was slow may be lost. Its slots are unavailable
         * until {@link #restart()}.
         */
        public void kill() {
            redis.kill();
        }

        /**
         * Starts the master again on the same data directory, stopping it gracefully first when it
         * runs, and returns once the cluster is ok again on every master. Its data come back from
         * its append-only file, its identity and slots from its {@code nodes.conf}.
         *
         * @throws InfrastructureStartException when it cannot start or the cluster is not ok within 30 s
         */
        public void restart() {
            long startNanos = System.nanoTime();
            redis.stop();
            redis.start();
            awaitHealthy();
            LOG.info("Redis Cluster master {} back and cluster ok in {} ms", uri(),
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos));
        }

        private RedisAdminConnection connect() throws IOException {
            return RedisAdminConnection.open(host, port, COMMAND_TIMEOUT);
        }

        @Override
        public String toString() {
            return "Master[" + uri() + ", slots " + slots + "]";
        }
    }
}
