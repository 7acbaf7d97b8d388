package dev.ovation.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/** Port checks done before a server binds, so a taken port fails fast with a readable message. */
public final class LocalPorts {

    private LocalPorts() {
    }

    /** Returns a port that was free on {@code host} a moment ago. */
    public static int pickFree(String host) {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(host))) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("No free port on " + host, e);
        }
    }

    /** Throws {@link InfrastructureStartException} when {@code host:port} cannot be bound right now. */
    static void requireFree(String component, String host, int port) {
        try (ServerSocket socket = new ServerSocket()) {
            // the servers themselves bind with SO_REUSEADDR, so a port held only by TIME_WAIT is free
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getByName(host), port), 1);
        } catch (IOException e) {
            throw new InfrastructureStartException(component, host, port, "port in use, perhaps by another Ovation"
                    + " (stop it, or start this one with " + portOption(component) + " and another port)", e);
        }
    }

    /** The command-line option that moves {@code component}'s port. */
    private static String portOption(String component) {
        return switch (component) {
            case "Kafka" -> "--kafka-port";
            case "Redis" -> "--redis-port";
            case "MongoDB" -> "--mongo-port";
            default -> "the --*-port options";
        };
    }
}
