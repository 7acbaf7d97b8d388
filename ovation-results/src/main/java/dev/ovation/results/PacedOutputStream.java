package dev.ovation.results;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Writes at most {@code bytesPerSecond} on average from its first byte on, putting the writing
 * thread to sleep whenever it is ahead: an export is a download for a person, and what it costs per
 * second (reading the log, the network, the client on the same machine) is then bounded however
 * fast the file could go.
 */
final class PacedOutputStream extends FilterOutputStream {

    /** Sleeps shorter than this are left for later: they would cost more than they save. */
    private static final long MIN_SLEEP_NANOS = TimeUnit.MILLISECONDS.toNanos(5);

    /** Puts the writing thread to sleep; a test's records the time instead. */
    interface Sleeper {
        void sleep(long nanos) throws InterruptedException;
    }

    private final long bytesPerSecond;
    private final LongSupplier nanoClock;
    private final Sleeper sleeper;
    private boolean started;
    private long startedAt;
    private long written;

    PacedOutputStream(OutputStream out, long bytesPerSecond) {
        this(out, bytesPerSecond, System::nanoTime, TimeUnit.NANOSECONDS::sleep);
    }

    PacedOutputStream(OutputStream out, long bytesPerSecond, LongSupplier nanoClock, Sleeper sleeper) {
        super(out);
        if (bytesPerSecond < 1) {
            throw new IllegalArgumentException("bytesPerSecond must be at least 1, not " + bytesPerSecond);
        }
        this.bytesPerSecond = bytesPerSecond;
        this.nanoClock = nanoClock;
        this.sleeper = sleeper;
    }

    @Override
    public void write(int b) throws IOException {
        start();
        out.write(b);
        paced(1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        start();
        out.write(b, off, len);
        paced(len);
    }

    private void start() {
        if (!started) {
            started = true;
            startedAt = nanoClock.getAsLong();
        }
    }

    private void paced(int bytes) throws IOException {
        written += bytes;
        long due = startedAt + (long) (written * 1e9 / bytesPerSecond);
        long ahead = due - nanoClock.getAsLong();
        if (ahead >= MIN_SLEEP_NANOS) {
            try {
                sleeper.sleep(ahead);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while pacing an export");
            }
        }
    }
}
