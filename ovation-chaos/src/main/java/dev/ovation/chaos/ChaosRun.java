package dev.ovation.chaos;

import dev.ovation.chaos.Fault.RedisNode;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * One run of the matrix: a contest of its own, load before, during and after a fault, every unknown
 * vote resent until answered, the counters given time to apply the whole topic, then the check.
 *
 * @param fault    the fault, or null for the random schedule (each fault in turn at random, one at a time)
 * @param rate     new votes a second
 * @param before   load before the fault
 * @param during   how long the fault lasts (and, for the random schedule, the whole of it)
 * @param after    load after the heal
 */
record ChaosRun(Cluster cluster, Fault fault, int rate, Duration before, Duration during, Duration after,
                double resendShare, long seed, PrintStream out) {

    static final List<String> BANDS = List.of("Alux Nahual", "Bohemia Suburbana", "Viernes Verde");
    /** Faults the random schedule draws from (the at-end one needs the load to have stopped). */
    static final List<Fault> RANDOM = List.of(Fault.BROKER_KILL, Fault.BROKER_PARTITION, Fault.COUNTER_PAUSE,
            Fault.REDIS_MASTER_KILL, Fault.REDIS_MASTER_PARTITION, Fault.INGEST_KILL, Fault.COUNTERS_RESTART,
            Fault.MONGO_KILL);

    /** The outcome: the check, availability, and the events with their times (ms since the start). */
    record Result(String fault, String contest, Checker.Verdict verdict, Availability availability, List<String> events,
                  long settleMillis, long faultAtMillis, long healedAtMillis) {
    }

    Result run() throws Exception {
        String name = fault == null ? "random" : fault.id;
        String contest = "chaos-" + name + "-" + System.currentTimeMillis() / 1000;
        createContest(contest);
        // Once before the load: the first use of Kafka's admin client and of Lettuce loads hundreds of
        // classes from the jar, which on a saturated machine took longer than the fault's own timing.
        Fault.busiestBroker(cluster);
        Fault.activeController(cluster);
        Fault.redisNodes(cluster);
        new Checker(cluster).talliesPositions();
        long start = System.nanoTime();
        List<String> events = new ArrayList<>();
        History history = new History();
        long[] faultWindow = new long[2];
        FreshnessProbe probe = new FreshnessProbe(cluster.list("RESULTS").get(0), contest, start);
        try (VoteClient client = new VoteClient(history, cluster, contest, BANDS, contest, resendShare, start)) {
            client.onAcknowledged(probe::offer);
            probe.start();
            client.start(rate);
            progress(start, "load: " + rate + " votes/s over HTTP and gRPC to " + cluster.list("INGEST_HTTP").size()
                    + " ingest replicas");
            sleep(before);
            faultWindow[0] = millisSince(start);
            if (fault == null) {
                randomSchedule(start, events);
            } else if (fault == Fault.REDIS_MASTER_KILL_AT_END) {
                atEnd(client, start, events);
            } else {
                Heal heal = inject(fault, start, events);
                sleep(during);
                heal.run();
                event(start, events, "healed");
            }
            faultWindow[1] = millisSince(start);
            if (fault != Fault.REDIS_MASTER_KILL_AT_END) {
                sleep(after);
            }
            client.stopSending();
            event(start, events, "load stopped; resending unknown votes until answered");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (client.unknown() > 0 && System.nanoTime() < deadline) {
                Thread.sleep(250);
            }
            client.stopResending();
            event(start, events, client.unknown() + " votes still unknown");
            probe.stop();
        }
        progress(start, "waiting for the counters to apply the whole topic");
        long settle = new Checker(cluster).awaitCounted(Duration.ofSeconds(180), () -> { });
        event(start, events, settle < 0 ? "the counters did not apply the whole topic within 180 s"
                : "the counters applied the whole topic " + settle + " ms after the load ended");
        progress(start, "checking");
        Checker.Verdict verdict = new Checker(cluster).check(contest, history);
        Availability availability = Availability.of(history.attempts(), probe.samples(), faultWindow[0], faultWindow[1]);
        return new Result(name, contest, verdict, availability, events, settle, faultWindow[0], faultWindow[1]);
    }

    /** Undoes a fault. */
    @FunctionalInterface
    interface Heal {
        void run() throws Exception;
    }

    private Heal inject(Fault f, long start, List<String> events) throws Exception {
        switch (f) {
            case BROKER_KILL -> {
                String broker = Fault.busiestBroker(cluster);
                String controller = Fault.activeController(cluster);
                cluster.kill(broker);
                event(start, events, "SIGKILL " + broker + " (leads most votes partitions; the active controller is "
                        + controller + ")");
                return () -> {
                    cluster.up(Map.of());
                    event(start, events, broker + " started again");
                };
            }
            case CONTROLLER_KILL -> {
                String controller = Fault.activeController(cluster);
                if (!cluster.running(controller)) {
                    throw new IllegalStateException("the active KRaft controller is not known (" + controller + ")");
                }
                cluster.kill(controller);
                event(start, events, "SIGKILL " + controller + " (the active controller)");
                return () -> {
                    cluster.up(Map.of());
                    event(start, events, controller + " started again");
                };
            }
            case BROKER_PARTITION -> {
                String broker = Fault.busiestBroker(cluster);
                String controller = Fault.activeController(cluster);
                cluster.partition(broker);
                event(start, events, "partitioned " + broker + " from the other brokers and the clients (the active"
                        + " controller is " + controller + ")");
                return () -> cluster.heal(broker);
            }
            case COUNTER_PAUSE -> {
                String counter = cluster.names("counter-").stream().filter(cluster::running).findFirst().orElseThrow();
                cluster.signal(counter, "STOP");
                event(start, events, "SIGSTOP " + counter);
                return () -> {
                    cluster.signal(counter, "CONT");
                    event(start, events, "SIGCONT " + counter);
                };
            }
            case REDIS_MASTER_KILL -> {
                RedisNode master = Fault.busiestMaster(Fault.redisNodes(cluster));
                cluster.kill(master.name());
                event(start, events, "SIGKILL " + master.name() + " (Redis master of " + master.shards() + " shards)");
                return () -> {
                    cluster.up(Map.of());
                    event(start, events, master.name() + " started again");
                };
            }
            case REDIS_MASTER_PARTITION -> {
                RedisNode master = Fault.busiestMaster(Fault.redisNodes(cluster));
                List<String> others = cluster.names("redis-").stream().filter(n -> !n.equals(master.name())).toList();
                cluster.partition(master.name(), others);
                event(start, events, "partitioned " + master.name() + " (Redis master of " + master.shards()
                        + " shards) from the other Redis nodes; the counters still reach it");
                return () -> {
                    cluster.heal(master.name());
                    event(start, events, "healed " + master.name());
                };
            }
            case INGEST_KILL -> {
                String ingest = cluster.names("ingest-").get(0);
                cluster.kill(ingest);
                event(start, events, "SIGKILL " + ingest);
                return () -> {
                    cluster.up(Map.of());
                    event(start, events, ingest + " started again");
                };
            }
            case COUNTERS_RESTART -> {
                for (String counter : cluster.names("counter-")) {
                    if (cluster.running(counter)) {
                        cluster.kill(counter);
                    }
                }
                event(start, events, "SIGKILL every counter");
                return () -> {
                    cluster.up(Map.of());
                    event(start, events, "counters started again");
                };
            }
            case COUNTERS_SCALE -> {
                List<String> counters = cluster.names("counter-").stream().filter(cluster::running).toList();
                for (String counter : counters.subList(1, counters.size())) {
                    cluster.signal(counter, "TERM");
                }
                event(start, events, "scaled in to 1 counter (SIGTERM " + counters.subList(1, counters.size()) + ")");
                return () -> {
                    cluster.up(Map.of("COUNTERS", "5"));
                    event(start, events, "scaled out to 5 counters");
                    sleep(after.dividedBy(2));
                    for (String counter : List.of("counter-4", "counter-5")) {
                        cluster.signal(counter, "TERM");
                    }
                    cluster.up(Map.of("COUNTERS", "3"));
                    event(start, events, "scaled in to 3 counters");
                };
            }
            case MONGO_KILL -> {
                cluster.kill("mongo");
                event(start, events, "SIGKILL mongo");
                return () -> {
                    cluster.up(Map.of());
                    event(start, events, "mongo started again");
                };
            }
            default -> throw new IllegalArgumentException(f.id + " is not injected this way");
        }
    }

    /** Each fault of {@link #RANDOM} at random, one at a time, for {@link #during}: 20 s each, 10 s apart. */
    private void randomSchedule(long start, List<String> events) throws Exception {
        Random random = new Random(seed);
        long end = System.nanoTime() + during.toNanos();
        while (System.nanoTime() < end) {
            Fault next = RANDOM.get(random.nextInt(RANDOM.size()));
            event(start, events, "random: " + next.id);
            Heal heal = inject(next, start, events);
            sleep(Duration.ofSeconds(20));
            heal.run();
            event(start, events, "healed " + next.id);
            sleep(Duration.ofSeconds(10));
        }
    }

    /** {@link Fault#REDIS_MASTER_KILL_AT_END}: the last votes reach the master alone, then it dies. */
    private void atEnd(VoteClient client, long start, List<String> events) throws Exception {
        List<RedisNode> nodes = Fault.redisNodes(cluster);
        RedisNode master = Fault.busiestMaster(nodes);
        RedisNode replica = Fault.replicaOf(nodes, master);
        // cut off, not paused: the kernel of a paused process still takes the replication stream into its socket
        cluster.partition(replica.name());
        event(start, events, "partitioned " + replica.name() + " (replica of " + master.name() + ")");
        sleep(Duration.ofSeconds(3));
        client.stopSending();
        event(start, events, "last vote sent");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (client.unknown() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        long countedIn = new Checker(cluster).awaitCounted(Duration.ofSeconds(30), () -> { });
        event(start, events, "every vote counted (" + countedIn + " ms), in " + master.name() + " only");
        Map<Integer, Long> counted = new Checker(cluster).talliesPositions();
        cluster.kill(master.name());
        cluster.heal(replica.name());
        event(start, events, "SIGKILL " + master.name() + ", healed " + replica.name() + "; no vote after this");
        long promotedBy = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < promotedBy && !promoted(replica.name())) {
            Thread.sleep(100);
        }
        // the cluster may still say CLUSTERDOWN for a moment after the promotion: ask again
        Map<Integer, Long> promoted = null;
        while (promoted == null && System.nanoTime() < promotedBy + TimeUnit.SECONDS.toNanos(30)) {
            try {
                promoted = new Checker(cluster).talliesPositions();
            } catch (RuntimeException e) {
                Thread.sleep(200);
            }
        }
        if (promoted == null) {
            event(start, events, replica.name() + " promoted; the cluster did not answer for its positions");
        } else {
            Map<Integer, Long> found = promoted;
            long behind = counted.entrySet().stream()
                    .filter(p -> found.getOrDefault(p.getKey(), -1L) < p.getValue()).count();
            event(start, events, replica.name() + " promoted; in it, " + behind + " partitions' tally positions are"
                    + " behind what was counted (writes its master acknowledged and never replicated)");
        }
        sleep(during);
        cluster.up(Map.of());
        event(start, events, master.name() + " started again");
    }

    private boolean promoted(String replica) {
        try {
            return Fault.redisNodes(cluster).stream().anyMatch(n -> n.name().equals(replica) && n.master() && n.shards() > 0);
        } catch (IOException e) {
            return false;
        }
    }

    private void createContest(String contest) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        String catalog = String.join(",", BANDS.stream().map(b -> "\"" + b + "\":[]").toList());
        String body = "{\"id\":\"" + contest + "\",\"title\":\"A chaos run\",\"catalog\":{" + catalog + "},"
                + "\"limits\":{\"perVoter\":{\"perMinute\":0},\"perAddress\":{\"perMinute\":0}}}";
        List<String> ingests = cluster.list("INGEST_HTTP");
        // the admin API is on the ingest's management port
        HttpResponse<String> created = http.send(HttpRequest.newBuilder(URI.create(
                        cluster.list("INGEST_MANAGEMENT").get(0) + "/api/admin/contests"))
                .timeout(Duration.ofSeconds(10)).header("authorization", "Bearer " + cluster.env("ADMIN_TOKEN"))
                .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (created.statusCode() != 201) {
            throw new IllegalStateException("could not create contest " + contest + ": " + created.statusCode() + " "
                    + created.body());
        }
        // every replica knows it once a vote for a band outside its catalog is refused as such (writes nothing)
        for (String ingest : ingests) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (true) {
                HttpResponse<String> probe = http.send(HttpRequest.newBuilder(URI.create(ingest + "/api/votes"))
                        .timeout(Duration.ofSeconds(5)).header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
                                "{\"contest\":\"" + contest + "\",\"band\":\"nobody\",\"album\":\"x\"}")).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (probe.statusCode() == 422 || probe.statusCode() == 400) {
                    break;
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(ingest + " does not know contest " + contest + " after 30 s");
                }
                Thread.sleep(100);
            }
        }
    }

    private void event(long start, List<String> events, String what) {
        String line = String.format("%6.1f s  %s", millisSince(start) / 1000.0, what);
        events.add(line);
        out.println("chaos: " + line);
    }

    private void progress(long start, String what) {
        out.printf("chaos: %6.1f s  %s%n", millisSince(start) / 1000.0, what);
    }

    private static long millisSince(long start) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    }

    private static void sleep(Duration duration) throws InterruptedException {
        Thread.sleep(duration.toMillis());
    }
}
