package dev.ovation.results;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.HashMap;
import java.util.Map;

/**
 * How many reads of one heavy kind (log exports, vote checks, live streams) a results server
 * serves at once: at most {@code inAll}, and at most {@code perAddress} for one client address, so
 * that a burst of them, or one client, cannot take the server's threads, memory or the CPU the
 * votes need. A read past either bound is refused at once (the API answers {@code 429} with
 * {@code Retry-After}); nothing waits in a queue.
 */
final class ReadLimit {

    /** A read refused: its message names the bound it met, for a person. */
    static final class Refused extends Exception {

        private final int retryAfterSeconds;

        Refused(String message, int retryAfterSeconds) {
            super(message, null, false, false);
            this.retryAfterSeconds = retryAfterSeconds;
        }

        int retryAfterSeconds() {
            return retryAfterSeconds;
        }
    }

    private final String what;
    private final ResultsConfig.Bounds bounds;
    private final int retryAfterSeconds;
    private final Counter refusedPerAddress;
    private final Counter refusedInAll;
    private final Map<String, Integer> byAddress = new HashMap<>();
    private int inUse;

    /**
     * @param read              the reads' tag in the meters ({@code export})
     * @param what              the reads, plural, as a message names them ({@code "log exports"})
     * @param retryAfterSeconds what a refused client is told to wait: about how long one such read lasts
     */
    ReadLimit(String read, String what, ResultsConfig.Bounds bounds, int retryAfterSeconds, MeterRegistry registry) {
        if (bounds.inAll() < 1 || bounds.perAddress() < 1 || retryAfterSeconds < 1) {
            throw new IllegalArgumentException("bounds are at least 1: " + bounds + ", retry after " + retryAfterSeconds);
        }
        this.what = what;
        this.bounds = bounds;
        this.retryAfterSeconds = retryAfterSeconds;
        Gauge.builder("ovation.reads.in.progress", this, ReadLimit::inUse).tag("read", read)
                .description("Heavy reads being served (exports, vote checks, live streams)").register(registry);
        refusedPerAddress = refused(registry, read, "address");
        refusedInAll = refused(registry, read, "server");
    }

    private static Counter refused(MeterRegistry registry, String read, String bound) {
        return Counter.builder("ovation.reads.refused").tag("read", read).tag("bound", bound)
                .description("Heavy reads answered 429: past the bound per client address or on the server")
                .register(registry);
    }

    /**
     * Takes a place for one read from {@code client}, to be closed when the read ends.
     *
     * @param client the client's address (null: unknown, which counts as one address)
     * @throws Refused when {@code inAll} run already, or {@code perAddress} from this client
     */
    synchronized Slot admit(String client) throws Refused {
        String address = client == null ? "unknown" : client;
        int mine = byAddress.getOrDefault(address, 0);
        if (mine >= bounds.perAddress()) {
            refusedPerAddress.increment();
            throw new Refused("too many " + what + " at once from address " + address + ": at most "
                    + bounds.perAddress() + "; retry after " + retryAfterSeconds + " s", retryAfterSeconds);
        }
        if (inUse >= bounds.inAll()) {
            refusedInAll.increment();
            throw new Refused("too many " + what + " at once on this server: at most " + bounds.inAll()
                    + "; retry after " + retryAfterSeconds + " s", retryAfterSeconds);
        }
        byAddress.put(address, mine + 1);
        inUse++;
        return new Slot(address);
    }

    /** Reads of this kind in progress. */
    synchronized int inUse() {
        return inUse;
    }

    /** Reads of this kind in progress from {@code client}. */
    synchronized int inUse(String client) {
        return byAddress.getOrDefault(client, 0);
    }

    private synchronized void release(String address) {
        inUse--;
        byAddress.computeIfPresent(address, (a, n) -> n == 1 ? null : n - 1);
    }

    /** One read's place; closing it (once or more) frees it. */
    final class Slot implements AutoCloseable {

        private final String address;
        private boolean closed;

        private Slot(String address) {
            this.address = address;
        }

        @Override
        public void close() {
            synchronized (ReadLimit.this) {
                if (closed) {
                    return;
                }
                closed = true;
                release(address);
            }
        }
    }
}
