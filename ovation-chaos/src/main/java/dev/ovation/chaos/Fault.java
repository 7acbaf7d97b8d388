package dev.ovation.chaos;

import dev.ovation.store.TallyLayout;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartitionInfo;

/**
 * The faults of the matrix (docs/reliability.md), each a start and a heal that a run calls around
 * its "during" window. A fault picks its victim from the cluster's state at the time: the broker that
 * leads most {@code votes} partitions, the Redis master that holds most of the tallies' shards.
 */
enum Fault {

    /** SIGKILL the broker leading most votes partitions; start it again (with its data) at the heal. */
    BROKER_KILL("broker-kill", "SIGKILL of the Kafka broker leading most votes partitions, restarted at the heal"),
    /**
     * SIGKILL the active KRaft controller; start it again at the heal. With the brokers as controllers
     * (combined mode) it is also a broker, so the election comes before the fencing; with controllers of
     * their own ({@code CONTROLLERS=3}) no broker is lost.
     */
    CONTROLLER_KILL("controller-kill", "SIGKILL of the active KRaft controller (a broker too in combined mode),"
            + " restarted at the heal"),
    /** Cut that broker off from the other two and from the clients (iptables), keep it running. */
    BROKER_PARTITION("broker-partition", "the Kafka broker leading most votes partitions cut off (iptables), then healed"),
    /** SIGSTOP a counter for longer than its session timeout, then SIGCONT: it must write nothing stale. */
    COUNTER_PAUSE("counter-pause", "SIGSTOP of a counter beyond its session timeout (its partitions move), then SIGCONT"),
    /** SIGKILL the Redis master holding most shards mid-load: its replica takes over. */
    REDIS_MASTER_KILL("redis-master-kill", "SIGKILL of the Redis master holding most shards under load; its replica"
            + " takes over; restarted at the heal (it rejoins as a replica)"),
    /**
     * The same once the load is over, with writes its replica never got: the replica is cut off (not
     * paused: a paused process's kernel still takes the replication stream into its socket), the last
     * votes are counted into the master alone, the master is killed and the replica healed, so it is
     * promoted without them; no vote comes after, so only an idle counter can notice.
     */
    REDIS_MASTER_KILL_AT_END("redis-master-kill-at-end", "SIGKILL of a Redis master right after the last votes, which"
            + " its replica (cut off meanwhile) never received; no vote after it"),
    /** Cut a Redis master off from its replica and the other masters past the node timeout, then heal. */
    REDIS_MASTER_PARTITION("redis-master-partition", "the Redis master holding most shards cut off from its replica"
            + " and the other masters past the cluster node timeout, the counters still writing to it (its replica is"
            + " promoted; what it took meanwhile vanishes at the heal)"),
    /** SIGKILL one ingest replica mid-flood; clients resend their unknown votes to the other. */
    INGEST_KILL("ingest-kill", "SIGKILL of an ingest replica; clients resend unknown votes to the other"),
    /** SIGKILL every counter at once, then start them all again. */
    COUNTERS_RESTART("counters-restart", "SIGKILL of every counter at once, all started again at the heal"),
    /** What an autoscaler does: 3 counters to 1 (SIGTERM), then to 5, then back to 3. */
    COUNTERS_SCALE("counters-scale", "counters scaled 3 -> 1 (SIGTERM) -> 5 -> 3 under load"),
    /** SIGKILL the MongoDB-wire server; start it again at the heal. */
    MONGO_KILL("mongo-kill", "SIGKILL of the MongoDB-wire server (the vote log), restarted at the heal");

    /** Node ids above this are the controller-only processes (up.sh gives controller-N the id 100 + N). */
    private static final int CONTROLLER_IDS = 100;

    final String id;
    final String description;

    Fault(String id, String description) {
        this.id = id;
        this.description = description;
    }

    static Fault byId(String id) {
        for (Fault fault : values()) {
            if (fault.id.equals(id)) {
                return fault;
            }
        }
        throw new IllegalArgumentException("no fault '" + id + "'; the faults: "
                + String.join(", ", Arrays.stream(values()).map(f -> f.id).toList()) + ", random");
    }

    /** The broker (kafka-N) that leads most partitions of {@code votes}. */
    static String busiestBroker(Cluster cluster) throws Exception {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.env("KAFKA"));
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000);
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
        try (Admin admin = Admin.create(props)) {
            TopicDescription votes = admin.describeTopics(List.of(Checker.TOPIC)).allTopicNames()
                    .get(30, TimeUnit.SECONDS).get(Checker.TOPIC);
            Map<Integer, Integer> led = new HashMap<>();
            for (TopicPartitionInfo partition : votes.partitions()) {
                if (partition.leader() != null) {
                    led.merge(partition.leader().id(), 1, Integer::sum);
                }
            }
            int broker = led.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
            return "kafka-" + broker;
        }
    }

    /**
     * The process that is the active KRaft controller: kafka-N in combined mode, controller-N when the
     * controllers are processes of their own (node ids 101..103, bench/cluster/up.sh); "none known" if
     * the quorum cannot be asked.
     */
    static String activeController(Cluster cluster) {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.env("KAFKA"));
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000);
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
        try (Admin admin = Admin.create(props)) {
            int leader = admin.describeMetadataQuorum().quorumInfo().get(30, TimeUnit.SECONDS).leaderId();
            return leader > CONTROLLER_IDS ? "controller-" + (leader - CONTROLLER_IDS) : "kafka-" + leader;
        } catch (Exception e) {
            return "none known";
        }
    }

    /** A Redis node as the cluster sees it. */
    record RedisNode(String name, String id, boolean master, String masterId, int shards) {
    }

    /** The nodes of the Redis Cluster, by process name, from {@code CLUSTER NODES} and {@code CLUSTER KEYSLOT}. */
    static List<RedisNode> redisNodes(Cluster cluster) throws IOException {
        Map<String, String> nameByHost = new HashMap<>();
        for (String name : cluster.names("redis-")) {
            nameByHost.put(cluster.host(name), name);
        }
        IOException unreachable = new IOException("no Redis node of the cluster answers");
        for (String name : cluster.names("redis-")) {
            if (!cluster.running(name)) {
                continue;
            }
            RedisClient client = RedisClient.create(RedisURI.create("redis://" + cluster.addr(name)));
            client.setDefaultTimeout(Duration.ofSeconds(3));
            try (StatefulRedisConnection<String, String> connection = client.connect()) {
                Map<String, String[]> lines = new HashMap<>();
                for (String line : connection.sync().clusterNodes().split("\n")) {
                    String[] fields = line.trim().split(" ");
                    if (fields.length >= 8) {
                        lines.put(fields[0], fields);
                    }
                }
                int[] shardSlots = new int[TallyLayout.SHARDS];
                for (int shard = 0; shard < shardSlots.length; shard++) {
                    shardSlots[shard] = connection.sync().clusterKeyslot(TallyLayout.hashTag(shard)).intValue();
                }
                List<RedisNode> nodes = new ArrayList<>();
                for (String[] fields : lines.values()) {
                    String host = fields[1].substring(0, fields[1].indexOf(':'));
                    boolean master = fields[2].contains("master") && !fields[2].contains("fail");
                    int shards = 0;
                    for (int i = 8; i < fields.length; i++) {
                        String[] range = fields[i].split("-");
                        if (range[0].startsWith("[")) {
                            continue;
                        }
                        int from = Integer.parseInt(range[0]);
                        int to = range.length > 1 ? Integer.parseInt(range[1]) : from;
                        for (int slot : shardSlots) {
                            if (slot >= from && slot <= to) {
                                shards++;
                            }
                        }
                    }
                    nodes.add(new RedisNode(nameByHost.getOrDefault(host, host), fields[0], master, fields[3], shards));
                }
                nodes.sort(Comparator.comparing(RedisNode::name));
                return nodes;
            } catch (RuntimeException e) {
                // this node is cut off or still starting: ask the next
                unreachable.addSuppressed(e);
            } finally {
                client.shutdown();
            }
        }
        throw unreachable;
    }

    /** The master holding most shards of the tallies. */
    static RedisNode busiestMaster(List<RedisNode> nodes) {
        return nodes.stream().filter(RedisNode::master).max(Comparator.comparingInt(RedisNode::shards)).orElseThrow();
    }

    /** The replica of {@code master}. */
    static RedisNode replicaOf(List<RedisNode> nodes, RedisNode master) {
        return nodes.stream().filter(n -> master.id().equals(n.masterId())).findFirst()
                .orElseThrow(() -> new IllegalStateException(master.name() + " has no replica"));
    }
}
