package dev.ovation.store;

import dev.ovation.model.ConfigException;
import dev.ovation.model.Redacted;
import dev.ovation.model.UnreachableException;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * One connection to the Redis that holds the tallies: a single server, or a Redis Cluster.
 *
 * <p>{@code OVATION_REDIS} names one server ({@code redis://host:port}) or, comma-separated, the
 * seed nodes of a cluster. Which of the two it is, Redis says itself: when the first node answers
 * {@code cluster_enabled:1} to {@code INFO cluster}, the link is opened with Lettuce's cluster
 * client, which routes each command by its key's hash slot. Every key that Ovation's scripts touch
 * carries a hash tag (see {@link TallyLayout}), so the same commands work on both.
 */
public final class RedisLink implements AutoCloseable {

    private final AutoCloseable client;
    private final AutoCloseable connection;
    private final RedisClusterCommands<String, String> sync;
    private final RedisClusterAsyncCommands<String, String> async;
    private final boolean cluster;
    private final String uri;

    private RedisLink(AutoCloseable client, AutoCloseable connection, RedisClusterCommands<String, String> sync,
                      RedisClusterAsyncCommands<String, String> async, boolean cluster, String uri) {
        this.client = client;
        this.connection = connection;
        this.sync = sync;
        this.async = async;
        this.cluster = cluster;
        this.uri = uri;
    }

    /**
     * Connects, failing fast with a message naming {@code OVATION_REDIS} when Redis does not
     * answer or the setting is not a Redis URI.
     *
     * @param uris    one URI, or comma-separated cluster seeds
     * @param timeout how long a command may take before it fails
     */
    public static RedisLink open(String uris, Duration timeout) {
        List<RedisURI> seeds = parse(uris, timeout);
        // The first seed that answers says which it is: a cluster's seeds are there so that one down
        // (a master killed, its replica not yet promoted) does not keep the role from starting.
        RedisClient probe = null;
        boolean cluster = false;
        StatefulRedisConnection<String, String> single = null;
        RuntimeException unreachable = null;
        for (RedisURI seed : seeds) {
            probe = RedisClient.create(seed);
            try {
                single = probe.connect();
                cluster = single.sync().info("cluster").contains("cluster_enabled:1");
                break;
            } catch (RuntimeException e) {
                probe.shutdown();
                single = null;
                if (unreachable == null) {
                    unreachable = e;
                } else {
                    unreachable.addSuppressed(e);
                }
            }
        }
        if (single == null) {
            throw new UnreachableException("Redis at " + Redacted.uri(uris) + " is unreachable (" + unreachable.getMessage()
                    + "); check OVATION_REDIS", unreachable);
        }
        if (!cluster) {
            return new RedisLink(probe::shutdown, single, single.sync(), single.async(), false, uris);
        }
        single.close();
        probe.shutdown();
        RedisClusterClient clusterClient = RedisClusterClient.create(seeds);
        clusterClient.setOptions(ClusterClientOptions.builder()
                // A master lost: its replica is promoted after the cluster's node timeout, and the
                // link learns it at the first failed reconnect (Lettuce waits for 5 by default) or
                // within 5 s, rather than 30; with those, counting of the lost master's shards stopped
                // for 22 s (docs/reliability.md).
                .topologyRefreshOptions(ClusterTopologyRefreshOptions.builder()
                        .enableAllAdaptiveRefreshTriggers()
                        .refreshTriggersReconnectAttempts(1)
                        .adaptiveRefreshTriggersTimeout(Duration.ofSeconds(1))
                        .enablePeriodicRefresh(Duration.ofSeconds(5))
                        .build())
                .build());
        try {
            StatefulRedisClusterConnection<String, String> connection = clusterClient.connect();
            connection.sync().ping();
            return new RedisLink(clusterClient::shutdown, connection, connection.sync(), connection.async(), true, uris);
        } catch (RuntimeException e) {
            clusterClient.shutdown();
            throw new UnreachableException("Redis Cluster at " + Redacted.uri(uris) + " is unreachable (" + e.getMessage()
                    + "); check OVATION_REDIS", e);
        }
    }

    private static List<RedisURI> parse(String uris, Duration timeout) {
        List<RedisURI> seeds = new ArrayList<>();
        for (String one : uris.split(",")) {
            if (one.isBlank()) {
                continue;
            }
            try {
                RedisURI uri = RedisURI.create(one.trim());
                uri.setTimeout(timeout);
                seeds.add(uri);
            } catch (IllegalArgumentException e) {
                throw new ConfigException("OVATION_REDIS=" + Redacted.uri(uris) + " is not a Redis URI (redis://host:port, or"
                        + " comma-separated cluster seeds)");
            }
        }
        if (seeds.isEmpty()) {
            throw new ConfigException("OVATION_REDIS is empty: give redis://host:port");
        }
        return seeds;
    }

    /** Blocking commands, routed by key slot on a cluster. */
    public RedisClusterCommands<String, String> sync() {
        return sync;
    }

    /** Asynchronous commands: several sent at once travel in one round trip. */
    public RedisClusterAsyncCommands<String, String> async() {
        return async;
    }

    /** True when connected to a Redis Cluster. */
    public boolean isCluster() {
        return cluster;
    }

    /** Answers when Redis answers PING. */
    public void ping() {
        sync.ping();
    }

    @Override
    public String toString() {
        return (cluster ? "Redis Cluster " : "Redis ") + Redacted.uri(uri);
    }

    /** Closes the connection, then the client's threads. */
    @Override
    public void close() {
        try {
            connection.close();
        } catch (Exception e) {
            throw new IllegalStateException("could not close the connection to " + this, e);
        } finally {
            try {
                client.close();
            } catch (Exception e) {
                throw new IllegalStateException("could not shut the Redis client down", e);
            }
        }
    }
}
