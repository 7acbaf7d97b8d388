package dev.ovation.loadgen;

import dev.ovation.model.Protocol;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Everything one run of the load generator needs, checked: built by {@link LoadgenCommand} from the
 * command line.
 *
 * @param protocol      how votes are sent
 * @param ingest        the ingest's HTTP base URL
 * @param grpcTarget    the ingest's gRPC address, host:port
 * @param results       the results API's base URL
 * @param rate          votes per second of the open model, or 0 in the closed model
 * @param users         users of the closed model, or 0 in the open model
 * @param duration      how long to measure
 * @param warmup        how long to send before measuring
 * @param maxInFlight   the most votes waiting for an answer at once
 * @param timeout       how long one request may wait for its answer
 * @param connections   connections to the ingest
 * @param ioThreads     threads of the clients
 * @param batchSize     votes per request (http-batch; 1 otherwise)
 * @param batchLinger   how long a partly filled batch may wait for more votes (open model)
 * @param votesFile     the seed-shaped votes to replay, or "seed" for the shipped ones
 * @param generate      whether to generate votes over the catalog instead of replaying the file
 * @param catalog       the catalog to generate over: a file, "BxA", or null for the votes file's pairs
 * @param skew          Zipf exponent of the popularity of catalog items
 * @param randomSeed    seed of every random choice
 * @param contest       the contest voted in
 * @param voters        distinct voters, or 0 for anonymous votes
 * @param duplicates    fraction of sends that repeat an acknowledged vote
 * @param verify        whether to check the counts in the results
 * @param verifyTimeout how long to wait for the results to show the counts
 * @param freshness     whether to sample freshness during the run
 * @param report        where to write the JSON report, or null
 * @param html          where to write the HTML report, or null
 * @param quiet         no live line
 */
record LoadSettings(Protocol protocol, URI ingest, String grpcTarget, URI results, double rate, int users,
                    Duration duration, Duration warmup, int maxInFlight, Duration timeout, int connections,
                    int ioThreads, int batchSize, Duration batchLinger, String votesFile, boolean generate,
                    String catalog, double skew, long randomSeed, String contest, int voters, double duplicates,
                    boolean verify, Duration verifyTimeout, boolean freshness, Path report, Path html,
                    boolean quiet) {

    /** Whether the votes are in the seed's shape (no id, no voter, always the default contest). */
    boolean seedShape() {
        return protocol == Protocol.SEED_HTTP || protocol == Protocol.SEED_GRPC;
    }

    boolean overGrpc() {
        return protocol == Protocol.GRPC || protocol == Protocol.GRPC_STREAM || protocol == Protocol.SEED_GRPC;
    }

    boolean openModel() {
        return users == 0;
    }

    /** The settings as a report shows them. */
    Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("protocol", protocol.label());
        m.put("ingest", overGrpc() ? grpcTarget : ingest.toString());
        m.put("results", results.toString());
        m.put("model", openModel() ? "open" : "closed");
        if (openModel()) {
            m.put("rate", rate);
        } else {
            m.put("users", users);
        }
        m.put("durationSeconds", duration.toMillis() / 1e3);
        m.put("warmupSeconds", warmup.toMillis() / 1e3);
        m.put("maxInFlight", maxInFlight);
        m.put("timeoutSeconds", timeout.toMillis() / 1e3);
        m.put("connections", connections);
        m.put("ioThreads", ioThreads);
        m.put("batchSize", batchSize);
        m.put("batchLingerMs", batchLinger.toNanos() / 1e6);
        m.put("votesFile", votesFile);
        m.put("generate", generate);
        if (generate) {
            m.put("catalog", catalog == null ? "the votes file's bands and albums" : catalog);
            m.put("skew", skew);
        }
        m.put("randomSeed", randomSeed);
        m.put("contest", contest);
        m.put("voters", voters);
        m.put("duplicates", duplicates);
        m.put("verify", verify);
        return m;
    }
}
