package dev.ovation.infra;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** One {@code PING} over a plain socket: enough to know Redis serves commands, without a client library. */
final class RedisPing {

    private static final int TIMEOUT_MS = 1_000;

    private RedisPing() {
    }

    /** True when Redis answers {@code +PONG}; false while it refuses connections or is still loading. */
    static boolean answers(String host, int port) {
        return answers(host, port, null);
    }

    /** The same, after {@code AUTH password} when there is one. */
    static boolean answers(String host, int port, String password) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), TIMEOUT_MS);
            socket.setSoTimeout(TIMEOUT_MS);
            OutputStream out = socket.getOutputStream();
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
            if (password != null) {
                out.write(("AUTH " + password + "\r\n").getBytes(StandardCharsets.US_ASCII));
                out.flush();
                if (!"+OK".equals(in.readLine())) {
                    return false;
                }
            }
            out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            // "-LOADING ..." while the append-only file is replayed
            return "+PONG".equals(in.readLine());
        } catch (IOException notYet) {
            return false;
        }
    }
}
