package dev.ovation.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.ovation.infra.LocalPorts;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.api.StatefulRedisConnection;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.TestAbortedException;

/**
 * {@code standalone --host 0.0.0.0} takes votes from other machines while the embedded Kafka,
 * Redis and MongoDB-wire server stay on loopback; only {@code --expose-infra} puts them on the
 * network, and then Redis requires a password that is kept in a file and never printed.
 */
class ExposureIT {

    @TempDir
    Path dir;

    @Test
    void shouldListenForVotesOnEveryAddressButKeepTheInfrastructureOnLoopback() throws Exception {
        Map<String, Integer> ports = ports("http", "grpc", "results", "counter", "kafka", "redis", "mongo");
        Process standalone = start("standalone", "--host", "0.0.0.0", "--data-dir", dir.resolve("data").toString(),
                "--http-port", ports.get("http") + "", "--grpc-port", ports.get("grpc") + "",
                "--results-port", ports.get("results") + "", "--counter-port", ports.get("counter") + "",
                "--kafka-port", ports.get("kafka") + "", "--redis-port", ports.get("redis") + "",
                "--mongo-port", ports.get("mongo") + "");
        try {
            awaitOutput("Ovation is running", standalone);

            Map<Integer, String> listening = listeningAddresses();
            for (String role : List.of("http", "grpc", "results", "counter")) {
                assertThat(listening.get(ports.get(role))).as(role).isIn("0.0.0.0", "::");
            }
            for (String server : List.of("kafka", "redis", "mongo")) {
                assertThat(listening.get(ports.get(server))).as(server).isEqualTo("127.0.0.1");
            }
        } finally {
            stop(standalone);
        }
    }

    @Test
    void shouldRequireARedisPasswordKeptInAFileWhenTheInfrastructureIsExposed() throws Exception {
        // Given an address of this machine beyond loopback (127.0.0.0/8 is all loopback)
        String address = networkAddress();
        Map<String, Integer> ports = ports("kafka", "redis", "mongo");
        Path data = dir.resolve("data");
        Process infra = start("infra", "--expose-infra", address, "--data-dir", data.toString(),
                "--kafka-port", ports.get("kafka") + "", "--redis-port", ports.get("redis") + "",
                "--mongo-port", ports.get("mongo") + "");
        try {
            awaitOutput("Ovation infrastructure is running", infra);

            Path passwordFile = data.resolve("redis").resolve("password");
            String password = Files.readString(passwordFile).strip();
            assertThat(password).matches("[0-9a-f]{64}");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(passwordFile))).isEqualTo("rw-------");
            String printed = Files.readString(dir.resolve("out")) + Files.readString(dir.resolve("err"));
            assertThat(printed).doesNotContain(password)
                    .contains("export OVATION_REDIS=\"redis://:$(cat " + passwordFile.toAbsolutePath() + ")@" + address
                            + ":" + ports.get("redis") + "\"")
                    .contains("export OVATION_KAFKA=" + address + ":" + ports.get("kafka"));

            Map<Integer, String> listening = listeningAddresses();
            assertThat(listening.get(ports.get("redis"))).isEqualTo(address);
            assertThat(listening.get(ports.get("kafka"))).isEqualTo(address);

            RedisClient client = RedisClient.create("redis://" + address + ":" + ports.get("redis"));
            try {
                // a client without the password is refused at its first command (Lettuce's HELLO)
                assertThatThrownBy(client::connect)
                        .hasRootCauseInstanceOf(RedisCommandExecutionException.class).rootCause().hasMessageContaining("NOAUTH");
            } finally {
                client.shutdown();
            }
            RedisClient authed = RedisClient.create("redis://:" + password + "@" + address + ":" + ports.get("redis"));
            try (StatefulRedisConnection<String, String> connection = authed.connect()) {
                assertThat(connection.sync().ping()).isEqualTo("PONG");
            } finally {
                authed.shutdown();
            }
        } finally {
            stop(infra);
        }
    }

    @Test
    void shouldRefuseToExposeTheInfrastructureOnTheWildcardAddress() throws Exception {
        Process infra = start("infra", "--expose-infra", "0.0.0.0", "--data-dir", dir.resolve("data").toString());

        assertThat(infra.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(infra.exitValue()).isEqualTo(1);
        assertThat(Files.readString(dir.resolve("err"))).contains("cannot be exposed on 0.0.0.0: give an address"
                + " of this machine that other machines reach");
    }

    private static Map<String, Integer> ports(String... names) {
        Map<String, Integer> ports = new HashMap<>();
        for (String name : names) {
            int port;
            do {
                port = LocalPorts.pickFree("127.0.0.1");
            } while (ports.containsValue(port));
            ports.put(name, port);
        }
        return ports;
    }

    /** Port to the address it listens on, from /proc/net/tcp and tcp6. */
    private static Map<Integer, String> listeningAddresses() throws IOException {
        Map<Integer, String> listening = new HashMap<>();
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            for (String line : Files.readAllLines(Path.of(table)).subList(1, Files.readAllLines(Path.of(table)).size())) {
                String[] fields = line.trim().split("\\s+");
                if (!fields[3].equals("0A")) { // LISTEN
                    continue;
                }
                String[] local = fields[1].split(":");
                listening.put(Integer.parseInt(local[1], 16), address(local[0]));
            }
        }
        return listening;
    }

    private static String address(String hex) {
        String upper = hex.toUpperCase(Locale.ROOT);
        if (upper.startsWith("0000000000000000FFFF0000")) { // an IPv4 address mapped into IPv6
            upper = upper.substring(24);
        }
        if (upper.length() == 8) { // little-endian IPv4
            return Integer.parseInt(upper.substring(6, 8), 16) + "." + Integer.parseInt(upper.substring(4, 6), 16) + "."
                    + Integer.parseInt(upper.substring(2, 4), 16) + "." + Integer.parseInt(upper.substring(0, 2), 16);
        }
        return upper.equals("00000000000000000000000000000000") ? "::" : upper;
    }

    /** An IPv4 address of this machine's network interfaces other than loopback. */
    private static String networkAddress() throws SocketException {
        for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (!nic.isUp() || nic.isLoopback()) {
                continue;
            }
            for (InetAddress address : Collections.list(nic.getInetAddresses())) {
                if (address instanceof Inet4Address && !address.isLinkLocalAddress()) {
                    return address.getHostAddress();
                }
            }
        }
        throw new TestAbortedException("this machine has no IPv4 address beyond loopback to expose on");
    }

    private Process start(String... args) throws IOException {
        return LauncherJar.start(dir, Map.of(), args);
    }

    private void awaitOutput(String line, Process process) {
        await().atMost(Duration.ofSeconds(120)).until(() -> {
            if (!process.isAlive()) {
                throw new AssertionError("exited " + process.exitValue() + ": " + Files.readString(dir.resolve("err")));
            }
            return Files.readString(dir.resolve("out")).contains(line);
        });
    }

    private static void stop(Process process) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }
}
