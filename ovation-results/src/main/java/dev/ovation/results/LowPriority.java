package dev.ovation.results;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The lowest scheduling priority for the calling thread, so that it runs on the CPU that the
 * threads taking and counting votes leave. {@link Thread#setPriority} alone does nothing on Linux
 * (the JVM ignores it unless started with {@code -XX:ThreadPriorityPolicy=1}, which also raises its
 * own threads when run as root), so on Linux the thread also asks {@code renice} for nice 19 for
 * itself, by its thread id: any user may lower its own threads.
 */
final class LowPriority {

    /** Where Linux shows the calling thread: a link to {@code <pid>/task/<tid>}. */
    private static final Path THREAD_SELF = Path.of("/proc/thread-self");

    private LowPriority() {
    }

    /**
     * Lowers the calling thread's priority.
     *
     * @return null when it runs at nice 19, else why it could not (no Linux, no {@code renice})
     */
    static String lowerCallingThread() {
        Thread.currentThread().setPriority(Thread.MIN_PRIORITY);
        if (!Files.isSymbolicLink(THREAD_SELF)) {
            return "not on Linux (no " + THREAD_SELF + ")";
        }
        try {
            String tid = Files.readSymbolicLink(THREAD_SELF).getFileName().toString();
            Process renice = new ProcessBuilder("renice", "-n", "19", "-p", tid)
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!renice.waitFor(5, TimeUnit.SECONDS)) {
                renice.destroyForcibly();
                return "renice did not answer within 5 s";
            }
            return renice.exitValue() == 0 ? null : "renice exited with " + renice.exitValue();
        } catch (IOException e) {
            return "renice could not run: " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    /** The calling thread's nice value as Linux shows it, or null elsewhere. */
    static Integer niceOfCallingThread() throws IOException {
        Path stat = THREAD_SELF.resolve("stat");
        if (!Files.exists(stat)) {
            return null;
        }
        String text = Files.readString(stat);
        // fields after the command name, which is in parentheses and may hold spaces: state is the 3rd
        // field of the whole line, nice the 19th
        String[] fields = text.substring(text.lastIndexOf(')') + 2).split(" ");
        return Integer.parseInt(fields[19 - 3]);
    }
}
