package dev.ovation.loadgen;

/** A clock that moves only when told to, or when someone waits on it. */
final class FakeClock implements NanoClock {

    private long now;

    FakeClock(long start) {
        this.now = start;
    }

    @Override
    public synchronized long nanoTime() {
        return now;
    }

    @Override
    public synchronized void waitUntil(long nanos) {
        now = Math.max(now, nanos);
    }

    synchronized void advance(long nanos) {
        now += nanos;
    }
}
