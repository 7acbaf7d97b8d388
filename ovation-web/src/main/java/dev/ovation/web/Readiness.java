package dev.ovation.web;

import dev.ovation.model.HealthCheck;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Runs a service's readiness checks side by side, each bounded to two seconds. */
public final class Readiness {

    static final long TIMEOUT_MILLIS = 2_000;

    private Readiness() {
    }

    /** Each check's name mapped to {@code UP} or {@code DOWN: reason}, in the order given. */
    public static Map<String, String> check(List<HealthCheck> checks) throws InterruptedException {
        Map<String, CompletableFuture<Void>> running = new LinkedHashMap<>();
        for (HealthCheck check : checks) {
            running.put(check.name(), CompletableFuture.runAsync(() -> {
                try {
                    check.check();
                } catch (Exception e) {
                    throw new CompletionException(e);
                }
            }, Readiness::startDaemon));
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(TIMEOUT_MILLIS);
        Map<String, String> results = new LinkedHashMap<>();
        for (Map.Entry<String, CompletableFuture<Void>> check : running.entrySet()) {
            try {
                check.getValue().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                results.put(check.getKey(), "UP");
            } catch (TimeoutException e) {
                check.getValue().cancel(true);
                results.put(check.getKey(), "DOWN: no answer within " + TIMEOUT_MILLIS + " ms");
            } catch (ExecutionException e) {
                results.put(check.getKey(), "DOWN: " + reason(e.getCause()));
            }
        }
        return results;
    }

    /** True when every check answers within its time. */
    public static boolean allUp(List<HealthCheck> checks) throws InterruptedException {
        return check(checks).values().stream().allMatch("UP"::equals);
    }

    /** One short-lived thread per check, so a hanging dependency holds no shared pool. */
    private static void startDaemon(Runnable task) {
        Thread thread = new Thread(task, "ovation-readiness");
        thread.setDaemon(true);
        thread.start();
    }

    private static String reason(Throwable error) {
        Throwable t = error;
        while ((t instanceof CompletionException || t instanceof ExecutionException)
                && t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getClass().getSimpleName() + ": " + t.getMessage();
    }
}
