package dev.ovation.web;

import dev.ovation.model.Env;
import dev.ovation.model.HealthCheck;
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a role's real code paths before it says it is ready, until the JIT has compiled them: a
 * process that answers {@code /health/ready} 200 is warm, so the first burst of a contest meets
 * compiled code rather than an interpreter and two busy compiler threads.
 *
 * <p>A {@link Load} sends a round of votes through the role's own classes, into the warm-up's
 * space (see {@code WarmupSpace}); rounds go on until the JIT has settled (it compiled less than
 * {@value #SETTLED_JIT_MILLIS} ms in the last second, after at least {@value #MIN_MILLIS} ms) or
 * the longest time allowed has passed. The {@linkplain #check() readiness check} says
 * {@code warming up} meanwhile; a warm-up that fails says why, and is tried again after
 * {@value #RETRY_SECONDS} s, the role staying not ready.
 */
public final class Warmup {

    private static final Logger LOG = LoggerFactory.getLogger(Warmup.class);
    /** The JIT's time in the last second below which the code counts as compiled. */
    static final long SETTLED_JIT_MILLIS = 100;
    /** The shortest warm-up, however quiet the JIT (it may not have started yet). */
    static final long MIN_MILLIS = 2_000;
    static final int RETRY_SECONDS = 5;
    /**
     * The share of the longest warm-up the load may take; the rest is left for the JIT to finish the
     * compilations the load queued, on an idle CPU.
     */
    static final double LOAD_SHARE = 0.75;
    static final long DRAIN_STEP_MILLIS = 500;
    /** The JIT's time in a drain step below which its queue counts as done. */
    static final long DRAINED_JIT_MILLIS = 50;
    /** How long the load pauses after each round, as a share of the round's time. */
    static final double PAUSE_PER_ROUND = 1.0;
    /** The shortest pause after a round: a load whose rounds are quick stays a trickle all the same. */
    static final long MIN_PAUSE_MILLIS = 100;

    /** A round of warm-up load through the role's real code paths. */
    public interface Load extends AutoCloseable {

        /**
         * Sends one round of votes (a fraction of a second's worth) and waits for their answers.
         *
         * @return the votes sent
         * @throws Exception when a vote could not be sent or answered as a real one would be
         */
        long round() throws Exception;

        /** What the load leaves behind, deleted. */
        @Override
        void close() throws Exception;
    }

    /** Opens a load: connects, creates what it needs. */
    @FunctionalInterface
    public interface LoadFactory {
        Load open() throws Exception;
    }

    private final String role;
    private final Duration longest;
    private final CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
    private final CountDownLatch done = new CountDownLatch(1);
    private volatile String state;
    private volatile Thread thread;
    private LoadFactory loads;

    private Warmup(String role, Duration longest) {
        this.role = role;
        this.longest = longest;
        this.state = longest.isZero() ? null : "warming up: not started";
        if (longest.isZero()) {
            done.countDown();
        }
    }

    /** The default of {@code OVATION_WARMUP_SECONDS}. */
    public static final int DEFAULT_LONGEST_SECONDS = 20;

    /**
     * {@code OVATION_WARMUP_SECONDS}: the longest a role warms up before it says it is ready (default
     * {@value #DEFAULT_LONGEST_SECONDS}; it stops sooner once the JIT has settled); 0: no warm-up.
     */
    public static Duration longest(Env env) {
        return Duration.ofSeconds(env.intInRange("OVATION_WARMUP_SECONDS", DEFAULT_LONGEST_SECONDS, 0, 600));
    }

    /**
     * A warm-up, not started yet: its {@linkplain #check() check} says so until {@link #start()}.
     *
     * @param longest the longest a warm-up may run; zero: none, ready at once
     */
    public static Warmup of(String role, Duration longest, LoadFactory loads) {
        Warmup warmup = new Warmup(role, longest);
        warmup.loads = loads;
        return warmup;
    }

    /** Starts warming up in a thread of its own. */
    public Warmup start() {
        if (!longest.isZero() && thread == null) {
            Thread running = new Thread(() -> runUntilWarm(loads), "ovation-" + role + "-warmup");
            running.setDaemon(true);
            thread = running;
            running.start();
        }
        return this;
    }

    /** The readiness check: up once warm, down with what it is doing or why it failed meanwhile. */
    public HealthCheck check() {
        return HealthCheck.of("warmup", () -> {
            String now = state;
            if (now != null) {
                throw new IllegalStateException(now);
            }
        });
    }

    /** Waits until warm, at most {@code timeout}; whether it is. */
    public boolean await(Duration timeout) throws InterruptedException {
        return done.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Stops a warm-up still running (the role is closing). */
    public void stop() throws InterruptedException {
        Thread running = thread;
        if (running != null) {
            running.interrupt();
            running.join(TimeUnit.SECONDS.toMillis(10));
        }
    }

    private void runUntilWarm(LoadFactory loads) {
        while (!Thread.currentThread().isInterrupted()) {
            try {
                runOnce(loads);
                done.countDown();
                return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception e) {
                state = "the warm-up failed, trying again in " + RETRY_SECONDS + " s: " + describe(e);
                LOG.warn("{}: {}", role, state);
                try {
                    Thread.sleep(TimeUnit.SECONDS.toMillis(RETRY_SECONDS));
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /**
     * With the load stopped, waits until the JIT has compiled what the load left in its queue (it
     * compiled less than {@value #DRAINED_JIT_MILLIS} ms in the last {@value #DRAIN_STEP_MILLIS} ms),
     * at most until the longest warm-up has passed: those compilations then run on an idle CPU rather
     * than beside the first burst.
     *
     * @return how long it waited, in milliseconds
     */
    private long drain(long started) throws InterruptedException {
        long from = System.nanoTime();
        long deadline = started + longest.toNanos();
        long before = jit.getTotalCompilationTime();
        while (System.nanoTime() < deadline) {
            state = "warming up: the JIT finishes compiling";
            Thread.sleep(DRAIN_STEP_MILLIS);
            long now = jit.getTotalCompilationTime();
            if (now - before < DRAINED_JIT_MILLIS) {
                break;
            }
            before = now;
        }
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - from);
    }

    /** The root cause's own words, which name what could not be reached. */
    private static String describe(Throwable error) {
        Throwable root = error;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String words = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        return root == error ? words : error.getMessage() + " (" + words + ")";
    }

    private void runOnce(LoadFactory loads) throws Exception {
        long started = System.nanoTime();
        long jitAtStart = jit.getTotalCompilationTime();
        long votes = 0;
        state = "warming up: connecting its load";
        try (Load load = loads.open()) {
            long secondStarted = System.nanoTime();
            long jitAtSecond = jit.getTotalCompilationTime();
            while (true) {
                if (Thread.currentThread().isInterrupted()) {
                    throw new InterruptedException();
                }
                long roundStarted = System.nanoTime();
                votes += load.round();
                // as long idle as busy: the compiler threads need the CPU the load would take
                TimeUnit.NANOSECONDS.sleep(Math.max(TimeUnit.MILLISECONDS.toNanos(MIN_PAUSE_MILLIS),
                        (long) ((System.nanoTime() - roundStarted) * PAUSE_PER_ROUND)));
                long now = System.nanoTime();
                long elapsed = TimeUnit.NANOSECONDS.toMillis(now - started);
                state = "warming up: " + votes + " votes in " + elapsed + " ms";
                if (elapsed >= longest.toMillis() * LOAD_SHARE) {
                    break;
                }
                if (now - secondStarted >= TimeUnit.SECONDS.toNanos(1)) {
                    long compiled = jit.getTotalCompilationTime() - jitAtSecond;
                    LOG.debug("{} warming up: {} ms, {} votes, the JIT compiled {} ms in the last second", role, elapsed,
                            votes, compiled);
                    if (compiled < SETTLED_JIT_MILLIS && elapsed >= MIN_MILLIS) {
                        break;
                    }
                    secondStarted = now;
                    jitAtSecond = jit.getTotalCompilationTime();
                }
            }
        }
        long drained = drain(started);
        state = null;
        LOG.info("{} warm after {} ms: {} warm-up votes, then {} ms for the JIT to finish its queue; the JIT compiled"
                        + " for {} ms meanwhile", role, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started), votes,
                drained, jit.getTotalCompilationTime() - jitAtStart);
    }
}
