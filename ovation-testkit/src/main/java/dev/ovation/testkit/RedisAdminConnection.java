package dev.ovation.testkit;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A blocking connection to one Redis server that sends admin commands (the {@code CLUSTER} family,
 * {@code INFO}) over the Redis protocol (RESP2) on a plain socket, so that infra needs no client
 * library in its main scope.
 */
final class RedisAdminConnection implements AutoCloseable {

    private final String address;
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    private RedisAdminConnection(String address, Socket socket) throws IOException {
        this.address = address;
        this.socket = socket;
        this.in = new BufferedInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
    }

    /** Connects to {@code host:port}; connecting and each reply may take at most {@code timeout}. */
    static RedisAdminConnection open(String host, int port, Duration timeout) throws IOException {
        Socket socket = new Socket();
        try {
            int timeoutMs = Math.toIntExact(timeout.toMillis());
            socket.connect(new InetSocketAddress(host, port), timeoutMs);
            socket.setSoTimeout(timeoutMs);
            return new RedisAdminConnection(host + ":" + port, socket);
        } catch (IOException | RuntimeException e) {
            try {
                socket.close();
            } catch (IOException closing) {
                e.addSuppressed(closing);
            }
            throw e;
        }
    }

    /**
     * Sends one command and returns its reply: a {@code String} for simple and bulk strings, a
     * {@code Long} for integers, a {@code List} for arrays, {@code null} for nil.
     *
     * @throws IOException on an error reply (its message included), a broken connection or a timeout
     */
    Object call(List<String> command) throws IOException {
        ByteArrayOutputStream request = new ByteArrayOutputStream();
        request.writeBytes(("*" + command.size() + "\r\n").getBytes(StandardCharsets.US_ASCII));
        for (String argument : command) {
            byte[] bytes = argument.getBytes(StandardCharsets.UTF_8);
            request.writeBytes(("$" + bytes.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
            request.writeBytes(bytes);
            request.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        out.write(request.toByteArray());
        out.flush();
        Object reply = readReply();
        if (reply instanceof ErrorReply error) {
            throw new IOException(address + " answered " + String.join(" ", command.subList(0, Math.min(2, command.size())))
                    + " with: " + error.message());
        }
        return reply;
    }

    /** {@link #call(List)} for a command whose reply is a simple or bulk string. */
    String callForText(String... command) throws IOException {
        Object reply = call(List.of(command));
        if (reply instanceof String text) {
            return text;
        }
        throw new IOException(address + " answered " + command[0] + " with " + reply + " where text was expected");
    }

    private Object readReply() throws IOException {
        String line = readLine();
        if (line.isEmpty()) {
            throw new IOException(address + " sent an empty reply line");
        }
        String rest = line.substring(1);
        return switch (line.charAt(0)) {
            case '+' -> rest;
            case '-' -> new ErrorReply(rest);
            case ':' -> Long.parseLong(rest);
            case '$' -> readBulk(Integer.parseInt(rest));
            case '*' -> readArray(Integer.parseInt(rest));
            default -> throw new IOException(address + " sent a reply of unknown type: " + line);
        };
    }

    private String readBulk(int length) throws IOException {
        if (length < 0) {
            return null;
        }
        byte[] bytes = in.readNBytes(length + 2);
        if (bytes.length != length + 2) {
            throw new EOFException(address + " closed the connection inside a reply");
        }
        return new String(bytes, 0, length, StandardCharsets.UTF_8);
    }

    private List<Object> readArray(int size) throws IOException {
        if (size < 0) {
            return null;
        }
        List<Object> elements = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            Object element = readReply();
            if (element instanceof ErrorReply error) {
                throw new IOException(address + " answered with an error inside an array: " + error.message());
            }
            elements.add(element);
        }
        return elements;
    }

    private String readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int previous = -1;
        while (true) {
            int next = in.read();
            if (next < 0) {
                throw new EOFException(address + " closed the connection");
            }
            if (previous == '\r' && next == '\n') {
                byte[] bytes = line.toByteArray();
                return new String(bytes, 0, bytes.length - 1, StandardCharsets.UTF_8);
            }
            line.write(next);
            previous = next;
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    /** An error reply is returned by the reader and thrown by {@link #call}, which knows the command. */
    private record ErrorReply(String message) {
    }
}
