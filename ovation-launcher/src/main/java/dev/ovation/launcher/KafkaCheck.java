package dev.ovation.launcher;

import dev.ovation.model.ConfigException;
import dev.ovation.model.UnreachableException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The first thing a role that needs Kafka does: checks that something listens at one of the
 * bootstrap addresses at least, and fails in one line naming the address and what to do when none
 * does. Without it, a Kafka that is not there is found out by the Kafka clients, after their own
 * timeouts (15 s) and a warning every time they try to connect again.
 *
 * <p>Only a clear failure is caught here: no address resolves, or each refuses the connection or
 * does not accept it within the time given. A listener that accepts is left to the Kafka clients,
 * which say what they find there.
 */
final class KafkaCheck {

    /** How long the addresses may take to accept a connection, together. */
    static final Duration TIMEOUT = Duration.ofSeconds(5);

    private KafkaCheck() {
    }

    /** {@link #requireListening(String, Duration)} within {@link #TIMEOUT}. */
    static void requireListening(String bootstrapServers) throws InterruptedException {
        requireListening(bootstrapServers, TIMEOUT);
    }

    /**
     * Returns once an address of {@code bootstrapServers} accepts a TCP connection.
     *
     * @param bootstrapServers {@code host:port[,host:port...]}, as {@code OVATION_KAFKA} gives them
     * @param timeout          how long all the addresses may take together
     * @throws UnreachableException when no address accepts one within {@code timeout}
     * @throws ConfigException      when {@code bootstrapServers} is not a list of {@code host:port}
     */
    static void requireListening(String bootstrapServers, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<String> failures = new ArrayList<>();
        for (InetSocketAddress server : parse(bootstrapServers)) {
            InetAddress[] addresses;
            try {
                addresses = InetAddress.getAllByName(server.getHostString());
            } catch (UnknownHostException e) {
                failures.add(server.getHostString() + " is an unknown host");
                continue;
            }
            for (InetAddress address : addresses) {
                long left = Duration.ofNanos(deadline - System.nanoTime()).toMillis();
                if (left <= 0) {
                    failures.add("no answer within " + timeout.toSeconds() + " s");
                    break;
                }
                try (Socket socket = new Socket()) {
                    socket.connect(new InetSocketAddress(address, server.getPort()), (int) left);
                    return;
                } catch (ConnectException e) {
                    failures.add("connection refused");
                } catch (SocketTimeoutException e) {
                    failures.add("no answer within " + timeout.toSeconds() + " s");
                } catch (IOException e) {
                    failures.add(e.getMessage());
                }
                if (Thread.interrupted()) {
                    throw new InterruptedException("stopped while checking Kafka at " + bootstrapServers);
                }
            }
        }
        throw new UnreachableException("Kafka at " + bootstrapServers + " did not answer ("
                + String.join("; ", failures.stream().distinct().toList()) + "): start it, or set OVATION_KAFKA to"
                + " its bootstrap servers (./ovation infra runs one at 127.0.0.1:19092)", null);
    }

    /**
     * {@code host:port} pairs, separated by commas; a host may be an IPv6 address in brackets.
     *
     * @throws ConfigException naming {@code OVATION_KAFKA} and the form expected, when one is not so
     */
    static List<InetSocketAddress> parse(String bootstrapServers) {
        List<InetSocketAddress> servers = new ArrayList<>();
        for (String entry : bootstrapServers.split(",")) {
            String server = entry.strip();
            if (server.isEmpty()) {
                continue;
            }
            // as the Kafka clients do, a listener's name before the address is passed over
            server = server.substring(server.indexOf("://") < 0 ? 0 : server.indexOf("://") + 3);
            int colon = server.lastIndexOf(':');
            String host = colon > 0 ? server.substring(0, colon) : "";
            if (host.startsWith("[") && host.endsWith("]")) {
                host = host.substring(1, host.length() - 1);
            }
            int port;
            try {
                port = Integer.parseInt(server.substring(colon + 1));
            } catch (NumberFormatException e) {
                port = -1;
            }
            if (host.isEmpty() || port < 1 || port > 65_535) {
                throw new ConfigException("OVATION_KAFKA=" + bootstrapServers + " is not a list of Kafka bootstrap"
                        + " servers; expected host:port[,host:port...], such as 127.0.0.1:19092");
            }
            servers.add(InetSocketAddress.createUnresolved(host, port));
        }
        if (servers.isEmpty()) {
            throw new ConfigException("OVATION_KAFKA is empty; expected host:port[,host:port...], such as 127.0.0.1:19092");
        }
        return servers;
    }
}
