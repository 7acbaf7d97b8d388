package dev.ovation.chaos;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A cluster that {@code bench/cluster/up.sh} started, read from its directory alone
 * ({@code cluster.env}, {@code pids/}, {@code netns/}, {@code addr/}; docs/cluster.md), and what a
 * nemesis does to its processes: signals, network partitions with iptables inside a process's
 * namespace, and starting again what is not running.
 */
final class Cluster {

    private final Path dir;
    private final Map<String, String> env;

    private Cluster(Path dir, Map<String, String> env) {
        this.dir = dir;
        this.env = env;
    }

    /** Reads {@code dir/cluster.env}. */
    static Cluster at(Path dir) throws IOException {
        Path file = dir.resolve("cluster.env");
        if (!Files.isReadable(file)) {
            throw new IOException(file + " does not exist: start the cluster with bench/cluster/up.sh " + dir);
        }
        Map<String, String> env = new LinkedHashMap<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            int eq = line.indexOf('=');
            if (!line.startsWith("#") && eq > 0) {
                env.put(line.substring(0, eq).trim(), line.substring(eq + 1).trim());
            }
        }
        return new Cluster(dir, env);
    }

    Path dir() {
        return dir;
    }

    /** A {@code cluster.env} value. */
    String env(String key) {
        String value = env.get(key);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException(dir.resolve("cluster.env") + " has no " + key);
        }
        return value;
    }

    /** A comma-separated {@code cluster.env} value. */
    List<String> list(String key) {
        return Arrays.stream(env(key).split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    /** Names of the processes whose name starts with {@code prefix} ({@code kafka-}, {@code counter-}...), sorted. */
    List<String> names(String prefix) throws IOException {
        try (Stream<Path> pids = Files.list(dir.resolve("pids"))) {
            return pids.map(p -> p.getFileName().toString().replace(".pid", ""))
                    .filter(n -> n.startsWith(prefix)).sorted().toList();
        }
    }

    long pid(String name) throws IOException {
        return Long.parseLong(read("pids", name + ".pid"));
    }

    String addr(String name) throws IOException {
        return read("addr", name);
    }

    String host(String name) throws IOException {
        String addr = addr(name);
        return addr.substring(0, addr.lastIndexOf(':'));
    }

    String netns(String name) throws IOException {
        return read("netns", name);
    }

    boolean running(String name) {
        try {
            return ProcessHandle.of(pid(name)).map(ProcessHandle::isAlive).orElse(false);
        } catch (IOException | NumberFormatException e) {
            return false;
        }
    }

    /** Sends {@code signal} (KILL, STOP, CONT, TERM) to a process. */
    void signal(String name, String signal) throws IOException, InterruptedException {
        run(List.of("kill", "-" + signal, String.valueOf(pid(name))));
    }

    /** SIGKILL, then waits until the process is gone. */
    void kill(String name) throws IOException, InterruptedException {
        long pid = pid(name);
        signal(name, "KILL");
        // polled: ProcessHandle.onExit of a process that is not this one's child notices late
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
    }

    /** Cuts a process off from every other (and from the clients): it keeps running, alone. */
    void partition(String name) throws IOException, InterruptedException {
        String ns = netns(name);
        run(List.of("ip", "netns", "exec", ns, "iptables", "-A", "INPUT", "-i", "eth0", "-j", "DROP"));
        run(List.of("ip", "netns", "exec", ns, "iptables", "-A", "OUTPUT", "-o", "eth0", "-j", "DROP"));
    }

    /**
     * Cuts a process off from {@code peers} only (their addresses); the rest of the network, such as
     * the clients, still reaches it.
     */
    void partition(String name, List<String> peers) throws IOException, InterruptedException {
        String ns = netns(name);
        for (String peer : peers) {
            String host = host(peer);
            run(List.of("ip", "netns", "exec", ns, "iptables", "-A", "INPUT", "-s", host, "-j", "DROP"));
            run(List.of("ip", "netns", "exec", ns, "iptables", "-A", "OUTPUT", "-d", host, "-j", "DROP"));
        }
    }

    /** Undoes {@link #partition}. */
    void heal(String name) throws IOException, InterruptedException {
        run(List.of("ip", "netns", "exec", netns(name), "iptables", "-F"));
    }

    /**
     * Starts what is not running, as {@code up.sh DIR} does, with {@code extraEnv} (such as
     * {@code COUNTERS=5}); waits for it to be ready.
     */
    void up(Map<String, String> extraEnv) throws IOException, InterruptedException {
        Path script = Path.of(read(".", "up-script"));
        List<String> command = new ArrayList<>(List.of("bash", script.toString(), dir.toString()));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("logs/up.log").toFile()));
        builder.environment().putAll(extraEnv);
        Process process = builder.start();
        if (!process.waitFor(5, TimeUnit.MINUTES) || process.exitValue() != 0) {
            process.destroyForcibly();
            throw new IOException("bench/cluster/up.sh " + dir + " failed; see " + dir.resolve("logs/up.log"));
        }
    }

    private String read(String folder, String name) throws IOException {
        return Files.readString(dir.resolve(folder).resolve(name), StandardCharsets.UTF_8).strip();
    }

    private static void run(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + output.strip());
        }
    }
}
