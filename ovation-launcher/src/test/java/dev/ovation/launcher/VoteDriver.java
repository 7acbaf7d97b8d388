package dev.ovation.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * A client that casts a fixed number of votes with ids it chooses, in batches over HTTP, at a
 * bounded rate, and retries every vote not acknowledged (a refused request, a dropped
 * connection, a 503) with the same id until it is — as a careful gateway would. It knows exactly
 * which ids were acknowledged, and the tallies they must add up to.
 */
final class VoteDriver implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String[][] CATALOG = {
        {"Led Zeppelin", "Houses of the Holy"}, {"Led Zeppelin", "Led Zeppelin IV"},
        {"Led Zeppelin", "Physical Graffiti"}, {"The Beatles", "Abbey Road"}, {"The Beatles", "Revolver"},
        {"The Beatles", "Sgt. Pepper's Lonely Hearts Club Band"}, {"Pink Floyd", "The Dark Side of the Moon"}};

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final String ingestUrl;
    private final String contest;
    private final int total;
    private final int batchSize;
    private final long nanosPerBatch;
    private final ExecutorService workers;
    private final List<Future<?>> running = new ArrayList<>();
    private final AtomicInteger nextBatch = new AtomicInteger();
    private final Set<String> acknowledged = ConcurrentHashMap.newKeySet();
    private final AtomicLong retries = new AtomicLong();
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private volatile long startNanos;

    /**
     * @param votesPerSecond the pace; the driver never sends faster
     * @param concurrency    batches in flight at once
     */
    VoteDriver(String ingestUrl, String contest, int total, int batchSize, int votesPerSecond, int concurrency) {
        this.ingestUrl = ingestUrl;
        this.contest = contest;
        this.total = total;
        this.batchSize = batchSize;
        this.nanosPerBatch = TimeUnit.SECONDS.toNanos(1) * batchSize / votesPerSecond;
        this.workers = Executors.newFixedThreadPool(concurrency);
        for (int i = 0; i < concurrency; i++) {
            running.add(null);
        }
    }

    static String band(int seq) {
        return CATALOG[seq % CATALOG.length][0];
    }

    static String album(int seq) {
        return CATALOG[seq % CATALOG.length][1];
    }

    VoteDriver start() {
        startNanos = System.nanoTime();
        for (int i = 0; i < running.size(); i++) {
            running.set(i, workers.submit(this::work));
        }
        return this;
    }

    private void work() {
        int batches = (total + batchSize - 1) / batchSize;
        for (int b = nextBatch.getAndIncrement(); b < batches; b = nextBatch.getAndIncrement()) {
            long due = startNanos + b * nanosPerBatch;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            List<Integer> pending = new ArrayList<>();
            for (int seq = b * batchSize; seq < Math.min(total, (b + 1) * batchSize); seq++) {
                pending.add(seq);
            }
            while (!pending.isEmpty() && !Thread.currentThread().isInterrupted()) {
                pending = send(pending);
                if (!pending.isEmpty()) {
                    retries.addAndGet(pending.size());
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
                }
            }
        }
    }

    /** Sends one batch; returns the votes to send again. */
    private List<Integer> send(List<Integer> seqs) {
        ArrayNode batch = JSON.createArrayNode();
        for (int seq : seqs) {
            batch.addObject().put("id", id(seq)).put("contest", contest).put("band", band(seq)).put("album", album(seq));
        }
        requests.incrementAndGet();
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(ingestUrl + "/api/votes/batch"))
                    .timeout(Duration.ofSeconds(20)).header("content-type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(batch.toString())).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                refused.incrementAndGet();
                return seqs;
            }
            JsonNode results = JSON.readTree(response.body()).get("results");
            List<Integer> again = new ArrayList<>();
            for (int i = 0; i < seqs.size(); i++) {
                JsonNode result = results.get(i);
                if ("accepted".equals(result.get("status").asText())) {
                    acknowledged.add(result.get("id").asText());
                } else if ("unavailable".equals(result.get("status").asText())) {
                    refused.incrementAndGet();
                    again.add(seqs.get(i));
                } else {
                    throw new IllegalStateException("vote refused: " + result);
                }
            }
            return again;
        } catch (IOException e) {
            refused.incrementAndGet();
            return seqs;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return seqs;
        }
    }

    String id(int seq) {
        return contest + "-" + seq;
    }

    /** How many distinct votes the driver casts. */
    int total() {
        return total;
    }

    int acknowledgedCount() {
        return acknowledged.size();
    }

    Set<String> acknowledged() {
        return Set.copyOf(acknowledged);
    }

    long retries() {
        return retries.get();
    }

    /** Requests and votes answered with an error or not answered at all (then sent again). */
    long refused() {
        return refused.get();
    }

    long requests() {
        return requests.get();
    }

    /** Waits until every vote was acknowledged. */
    void awaitAllAcknowledged(Duration deadline) throws Exception {
        long until = System.nanoTime() + deadline.toNanos();
        for (Future<?> worker : running) {
            worker.get(Math.max(1, until - System.nanoTime()), TimeUnit.NANOSECONDS);
        }
    }

    /** The tallies all {@code total} votes add up to: band and band/album counts. */
    Map<String, Long> expectedTallies() {
        Map<String, Long> tallies = new TreeMap<>();
        for (int seq = 0; seq < total; seq++) {
            tallies.merge(band(seq), 1L, Long::sum);
            tallies.merge(band(seq) + "/" + album(seq), 1L, Long::sum);
        }
        return tallies;
    }

    @Override
    public void close() throws InterruptedException {
        workers.shutdownNow();
        workers.awaitTermination(10, TimeUnit.SECONDS);
    }
}
