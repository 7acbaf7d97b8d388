package dev.ovation.launcher;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One bash, in the repository's root, that runs a page's commands one after another as a reader's
 * terminal does: a variable exported or a directory changed by one command holds for the next. What
 * a command prints on stdout and stderr is read together, with its exit status. Commands that run
 * until stopped are started in the background from the same shell and stopped (SIGTERM, then
 * SIGKILL for whatever is left of their process tree) when the shell closes, last started first.
 *
 * <p>Two rewrites keep a page's run apart from anything else on the machine ({@link #rewrite}):
 * {@code /tmp/} becomes a directory of the page's own, so each page starts with fresh data, and
 * {@code ./ovation} runs the jar the build made, as the script does when that jar is up to date.
 */
final class DocShell implements AutoCloseable {

    private static final Pattern OVATION = Pattern.compile("(^|[\\s;&|(])\\./ovation(?=\\s|$)");
    private static final Pattern DATA_DIR_ROLE = Pattern.compile("\\./ovation (standalone|infra)\\b(?!.*--data-dir)", Pattern.DOTALL);

    private final Path tmp;
    private final Path jar;
    private final Process bash;
    private final Writer input;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final List<Background> backgrounds = new ArrayList<>();

    /** What one command printed (stdout and stderr, as a terminal shows them) and its exit status. */
    record Output(List<String> lines, int exit) {
    }

    /** A command started in the background: its pid (of the shell's subshell) and where its stdout goes. */
    record Background(String command, long pid, Path stdout, Path stderr) {
    }

    DocShell(Path root, Path tmp, Path jar, Map<String, String> env) throws IOException {
        this.tmp = tmp;
        this.jar = jar;
        ProcessBuilder builder = new ProcessBuilder("bash", "--norc", "--noprofile").directory(root.toFile())
                .redirectErrorStream(true);
        // a clean environment, as LauncherJar's: no OVATION_ or JAVA_ settings of the machine running the build
        builder.environment().keySet().removeIf(name -> name.startsWith("OVATION_") || name.startsWith("JAVA_")
                || name.equals("JDK_JAVA_OPTIONS"));
        // Debian's tools first: the docs name Debian's packages (python3-pymongo, python3-grpcio), which a
        // python3 of a version manager earlier in PATH would not see
        builder.environment().merge("PATH", "/usr/bin:/bin", (path, debian) -> debian + ":" + path);
        builder.environment().putAll(env);
        bash = builder.start();
        input = new OutputStreamWriter(bash.getOutputStream(), StandardCharsets.UTF_8);
        Thread reader = new Thread(() -> {
            try (BufferedReader out = new BufferedReader(new InputStreamReader(bash.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = out.readLine(); line != null; line = out.readLine()) {
                    lines.add(line);
                }
            } catch (IOException e) {
                lines.add("docs-test: reading the shell failed: " + e);
            }
        }, "doc-shell-reader");
        reader.setDaemon(true);
        reader.start();
    }

    /**
     * {@code command} as this shell runs it: {@code /tmp/} is the page's own directory; {@code ./ovation}
     * runs {@code java $OVATION_JAVA_OPTS -jar <the built ovation.jar>}, the script's last line; a {@code standalone} or
     * {@code infra} without {@code --data-dir} gets {@code --data-dir /tmp/ovation-data}.
     */
    String rewrite(String command) {
        String withDataDir = DATA_DIR_ROLE.matcher(command).replaceAll("./ovation $1 --data-dir /tmp/ovation-data");
        String withTmp = withDataDir.replace("/tmp/", tmp + "/");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        // the script's own line: exec java ${OVATION_JAVA_OPTS:--XX:+UseG1GC -Xmx1g} -jar "$jar" "$@"
        return OVATION.matcher(withTmp).replaceAll(ovation -> Matcher.quoteReplacement(ovation.group(1) + "'" + java
                + "' ${OVATION_JAVA_OPTS:--XX:+UseG1GC -Xmx1g} -jar '" + jar + "'"));
    }

    /** Lines as a reader would see them: the page's directory shown as the {@code /tmp} it stands for. */
    List<String> unrewrite(List<String> printed) {
        return printed.stream().map(line -> line.replace(tmp + "/", "/tmp/").replace(tmp.toString(), "/tmp")).toList();
    }

    /** Runs {@code command} (already rewritten) to its end, or fails after {@code timeout}. */
    Output run(String command, Duration timeout) throws IOException, InterruptedException {
        String end = "docs-test-end-" + UUID.randomUUID();
        // the group runs in this shell (export and cd hold), reading nothing of the shell's own input
        input.write("{ " + command + "\n} </dev/null 2>&1; printf '\\n%s %d\\n' '" + end + "' $?\n");
        input.flush();
        List<String> printed = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            String line = lines.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (line == null) {
                throw new IllegalStateException("still running after " + timeout.toSeconds() + " s, having printed:\n"
                        + String.join("\n", printed));
            }
            if (line.startsWith(end + " ")) {
                // the end marker starts on a line of its own: drop the empty line it added after an output ending in \n
                if (!printed.isEmpty() && printed.get(printed.size() - 1).isEmpty()) {
                    printed.remove(printed.size() - 1);
                }
                return new Output(unrewrite(printed), Integer.parseInt(line.substring(end.length() + 1)));
            }
            printed.add(line);
        }
    }

    /**
     * Starts {@code command} (already rewritten) in the background, its stdout and stderr in files, and
     * waits until {@code readyUrl} answers 200, or fails at {@code deadline} or when the command exits.
     * Fails at once when something answers at {@code readyUrl} before it starts: that port is taken.
     * Without a URL, returns once started: the caller waits for what it prints.
     */
    Background start(String command, Optional<String> readyUrl, Duration deadline) throws IOException, InterruptedException {
        if (readyUrl.isPresent() && listening(URI.create(readyUrl.get()))) {
            throw new IllegalStateException("port " + URI.create(readyUrl.get()).getPort() + " is in use before '"
                    + command + "' starts: the docs' commands use the default ports, stop what listens there");
        }
        int n = backgrounds.size() + 1;
        Path stdout = tmp.resolve("background-" + n + ".out");
        Path stderr = tmp.resolve("background-" + n + ".err");
        Output started = run("{ " + command + "\n} </dev/null >'" + stdout + "' 2>'" + stderr + "' & echo $!", Duration.ofSeconds(10));
        Background background = new Background(command, Long.parseLong(started.lines().get(0).strip()), stdout, stderr);
        backgrounds.add(background);
        if (readyUrl.isEmpty()) {
            return background;
        }
        long end = System.nanoTime() + deadline.toNanos();
        while (!RoleProcess.answers200(readyUrl.get())) {
            if (!alive(background)) {
                throw new IllegalStateException("'" + command + "' exited before " + readyUrl.get() + " answered 200:\n"
                        + tail(stderr));
            }
            if (System.nanoTime() > end) {
                throw new IllegalStateException(readyUrl.get() + " did not answer 200 within " + deadline.toSeconds()
                        + " s of '" + command + "':\n" + tail(stderr));
            }
            Thread.sleep(200);
        }
        return background;
    }

    /** True while the background command's shell or the command itself runs. */
    static boolean alive(Background background) {
        return ProcessHandle.of(background.pid()).map(ProcessHandle::isAlive).orElse(false);
    }

    /** What a background command printed on stdout so far, as a reader would see it. */
    List<String> stdout(Background background) throws IOException {
        // the file is made by the background shell, a moment after this one learnt its pid
        return Files.exists(background.stdout()) ? unrewrite(Files.readAllLines(background.stdout())) : List.of();
    }

    private static boolean listening(URI url) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(url.getHost(), url.getPort()), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    static String tail(Path file) {
        try {
            List<String> all = Files.exists(file) ? Files.readAllLines(file) : List.of();
            return String.join("\n", all.subList(Math.max(0, all.size() - 30), all.size()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Stops the background commands, last started first, then the shell, and kills what is left under
     * it: a command that hung past its timeout.
     */
    @Override
    public void close() {
        for (int i = backgrounds.size() - 1; i >= 0; i--) {
            stop(backgrounds.get(i));
        }
        bash.descendants().forEach(ProcessHandle::destroyForcibly);
        bash.destroy();
        try {
            if (!bash.waitFor(10, TimeUnit.SECONDS)) {
                bash.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            bash.destroyForcibly();
        }
    }

    /**
     * SIGTERM to the subshell and its children (the command itself: java, prometheus), so that they stop
     * cleanly as after Ctrl-C; SIGKILL after 30 s to whatever of the tree is left (a redis-server).
     */
    private static void stop(Background background) {
        ProcessHandle.of(background.pid()).ifPresent(shell -> {
            List<ProcessHandle> tree = new ArrayList<>(shell.descendants().toList());
            tree.add(shell);
            shell.children().forEach(ProcessHandle::destroy);
            shell.destroy();
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            for (ProcessHandle process : tree) {
                try {
                    process.onExit().get(Math.max(1, end - System.nanoTime()), TimeUnit.NANOSECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                } catch (ExecutionException | TimeoutException e) {
                    // still alive: killed below
                }
            }
            tree.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
        });
    }
}
