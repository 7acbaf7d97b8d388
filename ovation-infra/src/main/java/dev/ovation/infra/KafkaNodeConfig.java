package dev.ovation.infra;

import java.nio.file.Path;
import java.util.Properties;

/**
 * Broker settings for one combined broker+controller node in KRaft mode.
 *
 * <p>The quorum is static ({@code controller.quorum.voters}): the formatted metadata then pins no
 * controller address, so each start may pick a fresh controller port.
 */
final class KafkaNodeConfig {

    static final int NODE_ID = 1;
    static final String CONTROLLER_LISTENER = "CONTROLLER";
    static final String CLIENT_LISTENER = "PLAINTEXT";
    static final long MAX_STARTUP_MS = 60_000;

    private KafkaNodeConfig() {
    }

    static Properties properties(Path logDir, String host, int port, int controllerPort) {
        Properties props = new Properties();
        props.setProperty("process.roles", "broker,controller");
        props.setProperty("node.id", Integer.toString(NODE_ID));
        props.setProperty("controller.quorum.voters", NODE_ID + "@" + host + ":" + controllerPort);
        props.setProperty("listeners", CLIENT_LISTENER + "://" + host + ":" + port + ","
                + CONTROLLER_LISTENER + "://" + host + ":" + controllerPort);
        props.setProperty("advertised.listeners", CLIENT_LISTENER + "://" + host + ":" + port);
        props.setProperty("controller.listener.names", CONTROLLER_LISTENER);
        props.setProperty("inter.broker.listener.name", CLIENT_LISTENER);
        props.setProperty("listener.security.protocol.map",
                CLIENT_LISTENER + ":PLAINTEXT," + CONTROLLER_LISTENER + ":PLAINTEXT");
        props.setProperty("log.dirs", logDir.toAbsolutePath().toString());
        // fail instead of hanging when the node cannot catch up with its own metadata
        props.setProperty("server.max.startup.time.ms", Long.toString(MAX_STARTUP_MS));

        // one node: every internal topic has a single replica
        props.setProperty("default.replication.factor", "1");
        props.setProperty("min.insync.replicas", "1");
        props.setProperty("offsets.topic.replication.factor", "1");
        props.setProperty("offsets.topic.num.partitions", "6");
        props.setProperty("transaction.state.log.replication.factor", "1");
        props.setProperty("transaction.state.log.min.isr", "1");
        props.setProperty("transaction.state.log.num.partitions", "6");
        props.setProperty("share.coordinator.state.topic.replication.factor", "1");
        props.setProperty("share.coordinator.state.topic.min.isr", "1");

        // topics are created on purpose by the services, and the vote topic is the durable record
        props.setProperty("auto.create.topics.enable", "false");
        props.setProperty("num.partitions", "6");
        props.setProperty("log.retention.ms", "-1");
        props.setProperty("log.retention.bytes", "-1");

        // fast start, and a fast first rebalance with one member
        props.setProperty("group.initial.rebalance.delay.ms", "0");
        props.setProperty("broker.heartbeat.interval.ms", "500");
        return props;
    }
}
