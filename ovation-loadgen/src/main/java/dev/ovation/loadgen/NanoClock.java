package dev.ovation.loadgen;

import java.util.concurrent.locks.LockSupport;

/** Monotonic time and waiting, replaceable in tests. */
interface NanoClock {

    /** The system's monotonic clock, waiting by parking the thread. */
    NanoClock SYSTEM = new NanoClock() {
        @Override
        public long nanoTime() {
            return System.nanoTime();
        }

        @Override
        public void waitUntil(long nanos) throws InterruptedException {
            long left;
            while ((left = nanos - System.nanoTime()) > 0) {
                LockSupport.parkNanos(left);
                if (Thread.interrupted()) {
                    throw new InterruptedException("interrupted while pacing votes");
                }
            }
        }
    };

    /** Now, in the {@link System#nanoTime()} sense. */
    long nanoTime();

    /** Returns once {@link #nanoTime()} reached {@code nanos}. */
    void waitUntil(long nanos) throws InterruptedException;
}
