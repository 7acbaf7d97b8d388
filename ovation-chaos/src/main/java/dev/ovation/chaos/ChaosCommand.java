package dev.ovation.chaos;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.ovation.loadgen.Durations;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ovation chaos}: the Jepsen-style matrix against a cluster of bench/cluster/up.sh. */
@Command(name = "chaos", mixinStandardHelpOptions = true,
        description = {"Runs faults against a cluster that bench/cluster/up.sh started (as root), with load before,"
                + " during and after each, and checks that every acknowledged vote was counted exactly once:"
                + " lost, doubled and invented votes, tallies against a recount of the topic and the log, and what"
                + " the fault cost (answered share, longest gap without an acknowledgement, time back to the p99 and"
                + " freshness of before). docs/reliability.md."},
        footer = {"", "Faults: broker-kill, controller-kill, broker-partition, counter-pause, redis-master-kill, redis-master-kill-at-end,"
                + " redis-master-partition, ingest-kill, counters-restart, counters-scale, mongo-kill, and random (one"
                + " at a time, 20 s each, for --during).",
                "", "Exit codes: 0 every run exact; 1 a run lost, doubled or invented a vote, or a store disagreed;"
                + " 2 bad usage, no cluster, or a run that could not be carried out (the others still run)."})
public final class ChaosCommand implements Callable<Integer> {

    @Option(names = "--cluster", required = true, paramLabel = "DIR", description = "The cluster's directory (up.sh DIR).")
    Path dir;

    @Option(names = "--fault", required = true, split = ",", paramLabel = "FAULT",
            description = "One or more faults, comma-separated, each in a run of its own.")
    List<String> faults;

    @Option(names = "--rate", defaultValue = "200", description = "New votes a second (default: ${DEFAULT-VALUE}).")
    int rate;

    @Option(names = "--before", defaultValue = "10s", converter = Durations.class, description = "Load before the fault (default: ${DEFAULT-VALUE}).")
    Duration before;

    @Option(names = "--during", defaultValue = "30s", converter = Durations.class,
            description = "How long each fault lasts; for random, the whole schedule (default: ${DEFAULT-VALUE}).")
    Duration during;

    @Option(names = "--after", defaultValue = "20s", converter = Durations.class, description = "Load after the heal (default: ${DEFAULT-VALUE}).")
    Duration after;

    @Option(names = "--resend-share", defaultValue = "0.02",
            description = "Share of acknowledged votes sent once more on purpose (default: ${DEFAULT-VALUE}).")
    double resendShare;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of the random schedule (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--out", paramLabel = "DIR", description = "Where each run's JSON goes (default: <cluster>/chaos).")
    Path out;

    @Override
    public Integer call() throws Exception {
        Cluster cluster = Cluster.at(dir);
        Path results = out != null ? out : dir.resolve("chaos");
        Files.createDirectories(results);
        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        List<ChaosRun.Result> all = new ArrayList<>();
        List<String> failed = new ArrayList<>();
        // every name checked before the first run starts
        faults.stream().filter(id -> !id.equals("random")).forEach(Fault::byId);
        Map<String, Integer> runsOf = new HashMap<>();
        for (String id : faults) {
            // a fault named again gets files of its own: mongo-kill.json, mongo-kill-2.json, ...
            int run = runsOf.merge(id, 1, Integer::sum);
            String file = run == 1 ? id : id + "-" + run;
            Fault fault = id.equals("random") ? null : Fault.byId(id);
            System.out.println("chaos: === " + id + (fault == null ? ": faults at random, one at a time" : ": " + fault.description));
            ChaosRun.Result result;
            try {
                result = new ChaosRun(cluster, fault, rate, before, during, after, resendShare, seed,
                        System.out).run();
            } catch (Exception e) {
                // the run itself failed (not the system under test): the whole trace, for whoever fixes it
                System.err.println("chaos: the run of " + id + " failed:");
                e.printStackTrace();
                failed.add(id);
                continue;
            }
            json.writeValue(results.resolve(file + ".json").toFile(), result);
            System.out.println(Report.of(result));
            all.add(result);
        }
        System.out.println(Report.table(all));
        if (!failed.isEmpty()) {
            System.out.println("chaos: these runs failed (the run, not the system under test): " + failed);
            return 2;
        }
        return all.stream().allMatch(r -> r.verdict().exact()) ? 0 : 1;
    }
}
