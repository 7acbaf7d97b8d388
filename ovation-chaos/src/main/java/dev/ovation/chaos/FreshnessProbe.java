package dev.ovation.chaos;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Once a second, takes the latest acknowledged vote and asks the results API ("was my vote
 * counted?") every 50 ms until it says counted: the vote's freshness, from acknowledgement to visible.
 */
final class FreshnessProbe {

    /** A vote acknowledged at {@code acknowledgedAt} (ms since the run began), visible {@code freshness} ms later (-1: never, within 60 s). */
    record Sample(long acknowledgedAt, long freshness) {
    }

    private final String results;
    private final String contest;
    private final long startNanos;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();
    private final List<Sample> samples = new ArrayList<>();
    private final Thread thread = new Thread(this::loop, "chaos-freshness");
    private volatile History.Vote latest;
    private volatile boolean running = true;

    FreshnessProbe(String results, String contest, long startNanos) {
        this.results = results;
        this.contest = contest;
        this.startNanos = startNanos;
        thread.setDaemon(true);
    }

    void offer(History.Vote vote) {
        latest = vote;
    }

    void start() {
        thread.start();
    }

    void stop() throws InterruptedException {
        running = false;
        thread.join(TimeUnit.SECONDS.toMillis(65));
    }

    synchronized List<Sample> samples() {
        return List.copyOf(samples);
    }

    private void loop() {
        History.Vote previous = null;
        while (running) {
            History.Vote vote = latest;
            long began = System.nanoTime();
            if (vote != null && vote != previous) {
                previous = vote;
                long freshness = probe(vote);
                synchronized (this) {
                    samples.add(new Sample(vote.acknowledgedAt, freshness));
                }
            }
            long rest = TimeUnit.SECONDS.toMillis(1) - TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began);
            try {
                Thread.sleep(Math.max(0, rest));
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private long probe(History.Vote vote) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(results + "/api/contests/" + contest + "/votes/" + vote.id))
                .timeout(Duration.ofSeconds(2)).GET().build();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            try {
                if (http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos) - vote.acknowledgedAt;
                }
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return -1;
            } catch (IOException e) {
                // the results replica may be unreachable in this fault: ask again
            }
        }
        return -1;
    }
}
