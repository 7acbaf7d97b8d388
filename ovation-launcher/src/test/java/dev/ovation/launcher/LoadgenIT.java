package dev.ovation.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ovation.loadgen.LoadgenCommand;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code ovation loadgen} against the whole pipeline in one process: short, slow runs over every
 * protocol, each verified end to end (every acknowledged vote counted exactly once).
 *
 * <p>On the shared standalone: each run votes in a contest of its own, but for the seed's protocols,
 * which always vote in {@code default}; the load generator's verification counts what a contest
 * held before its run apart.
 */
@ExtendWith(SharedPipeline.class)
class LoadgenIT {

    /**
     * The limits of the contests these runs vote in: their few voters vote far faster than a person,
     * so the per-voter rate limit is off; the per-address limit does not apply to the local load
     * generator (standalone exempts loopback).
     */
    private static final String NO_VOTER_RATE_LIMIT = "\"limits\": {\"perVoter\": {\"perMinute\": 0, \"burst\": 0}}";

    private static Pipeline ovation;

    @BeforeAll
    static void useTheSharedPipeline(Pipeline pipeline) {
        ovation = pipeline;
    }

    /** Runs the load generator against the in-process Ovation; returns its exit status and JSON report. */
    private static Run loadgen(Path reportDir, String... options) throws Exception {
        Path report = reportDir.resolve("report.json");
        List<String> args = new ArrayList<>(List.of(
                "--ingest-url", "http://127.0.0.1:" + ovation.httpPort(),
                "--grpc-target", "127.0.0.1:" + ovation.grpcPort(),
                "--results-url", "http://127.0.0.1:" + ovation.resultsPort(),
                "--report", report.toString(), "--quiet"));
        args.addAll(List.of(options));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = new picocli.CommandLine(new LoadgenCommand()).setOut(new PrintWriter(out))
                .setErr(new PrintWriter(err)).execute(args.toArray(String[]::new));
        JsonNode json = Files.exists(report) ? OvationClients.JSON.readTree(report.toFile()) : null;
        return new Run(status, json, out.toString(), err.toString());
    }

    private record Run(int status, JsonNode report, String summary, String errors) {
    }

    @ParameterizedTest
    @ValueSource(strings = {"http", "http-batch", "grpc", "grpc-stream", "seed-http", "seed-grpc"})
    void shouldCountEveryAcknowledgedVoteExactlyOnceOverEachProtocol(String protocol, @TempDir Path out)
            throws Exception {
        // Given the pipeline running, and a contest of this run's own (the seed's shapes vote in default)
        List<String> contest = protocol.startsWith("seed-") ? List.of()
                : List.of("--contest", ovation.createContest("loadgen-" + protocol, "{}").id());
        // When the load generator sends 200 votes/s for 1 s of warm-up and 2 s of measurement
        List<String> options = new ArrayList<>(List.of("--protocol", protocol, "--rate", "200", "--warmup", "1s",
                "--duration", "2s", "--batch-size", "20"));
        options.addAll(contest);
        Run run = loadgen(out, options.toArray(String[]::new));

        // Then every scheduled vote was sent and acknowledged, and the results counted each exactly once
        assertThat(run.status()).as("exit status; summary:%n%s%s", run.summary(), run.errors()).isZero();
        JsonNode counts = run.report().get("counts");
        assertThat(counts.get("sent").asLong() + run.report().get("notSent").asLong()).isEqualTo(600);
        assertThat(counts.get("acknowledged").asLong()).isEqualTo(counts.get("sent").asLong());
        assertThat(counts.get("errors").size()).isZero();
        JsonNode verification = run.report().get("verification");
        assertThat(verification.get("passed").asBoolean()).isTrue();
        assertThat(verification.get("counted").asLong()).isEqualTo(counts.get("acknowledged").asLong());
        assertThat(verification.get("duplicatesAbsorbed").asLong()).isZero();
        assertThat(run.report().get("settings").get("protocol").asText()).isEqualTo(protocol);
        assertThat(run.report().get("latency").get("count").asLong()).isPositive();
        assertThat(run.summary()).contains("PASS");
    }

    @Test
    void shouldAbsorbResentVotesAndCountGeneratedVotesInTheClosedModel(@TempDir Path out) throws Exception {
        // Given the pipeline running, and a contest without a per-voter rate limit
        String contest = ovation.createContest("loadgen-it", "{" + NO_VOTER_RATE_LIMIT + "}").id();
        // When 4 users vote over gRPC for 2 s in it with a generated catalog, 20 voters,
        // and a fifth of the sends repeating an acknowledged vote
        Run run = loadgen(out, "--protocol", "grpc", "--users", "4", "--warmup", "0s", "--duration", "2s",
                "--contest", contest, "--voters", "20", "--generate", "--catalog", "3x2", "--skew", "1",
                "--duplicates", "0.2", "--html", out.resolve("report.html").toString());

        // Then the distinct votes are counted once and each acknowledged resend shows as a duplicate absorbed
        assertThat(run.status()).as("exit status; summary:%n%s%s", run.summary(), run.errors()).isZero();
        JsonNode counts = run.report().get("counts");
        JsonNode verification = run.report().get("verification");
        assertThat(counts.get("acknowledgedResends").asLong()).isPositive();
        assertThat(verification.get("passed").asBoolean()).isTrue();
        assertThat(verification.get("counted").asLong())
                .isEqualTo(counts.get("acknowledged").asLong() - counts.get("acknowledgedResends").asLong());
        assertThat(verification.get("duplicatesAbsorbed").asLong()).isEqualTo(counts.get("acknowledgedResends").asLong());
        JsonNode results = ovation.clients().getResults("/api/contests/" + contest + "/results").body();
        assertThat(results.get("bands")).extracting(b -> b.get("band").asText())
                .containsExactlyInAnyOrder("Band 1", "Band 2", "Band 3");
        assertThat(Files.readString(out.resolve("report.html"))).contains("<svg", "PASS");
    }

    @Test
    void shouldAccountForVotesRejectedOverAVotersLimit(@TempDir Path out) throws Exception {
        // Given a contest with a catalog and a limit of 3 votes per voter
        String contest = ovation.createContest("loadgen-limited", "{\"votesPerVoter\": 3, " + NO_VOTER_RATE_LIMIT + ","
                + " \"catalog\": {\"Queen\": [\"A Night at the Opera\", \"News of the World\"],"
                + " \"Rush\": [\"Moving Pictures\"]}}").id();
        // When 200 votes/s go to it over HTTP batches for 2 s, from 10 voters, drawn from the contest's catalog
        Run run = loadgen(out, "--protocol", "http-batch", "--rate", "200", "--warmup", "0s", "--duration", "2s",
                "--batch-size", "10", "--contest", contest, "--voters", "10", "--generate");

        // Then 30 votes are counted (3 for each voter), the rest are rejected, and together they account
        // for every acknowledged vote
        assertThat(run.status()).as("exit status; summary:%n%s%s", run.summary(), run.errors()).isZero();
        JsonNode verification = run.report().get("verification");
        assertThat(verification.get("passed").asBoolean()).isTrue();
        assertThat(verification.get("counted").asLong()).isEqualTo(30);
        assertThat(verification.get("rejected").asLong())
                .isEqualTo(run.report().get("counts").get("acknowledged").asLong() - 30);
        assertThat(run.report().get("votes").asText()).contains("the catalog of contest " + contest);
    }
}
