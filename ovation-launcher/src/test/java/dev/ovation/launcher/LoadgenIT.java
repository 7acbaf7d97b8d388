package dev.ovation.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ovation.infra.InfraSettings;
import dev.ovation.loadgen.LoadgenCommand;
import dev.ovation.model.Env;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code ovation loadgen} against the whole pipeline in one process: short, slow runs over every
 * protocol, each verified end to end (every acknowledged vote counted exactly once).
 */
class LoadgenIT {

    @TempDir
    static Path dataDir;

    private static Standalone ovation;

    @BeforeAll
    static void startOvation() throws Exception {
        ovation = Standalone.start(new Env(Map.of("OVATION_WARMUP_SECONDS", "0")), InfraSettings.onFreePorts(dataDir), "127.0.0.1", 0, 0, 0, 0,
                Path.of("src", "test", "resources", "loadgen-it.yaml"));
    }

    @AfterAll
    static void stopOvation() throws Exception {
        if (ovation != null) {
            ovation.close();
        }
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
        // Given the pipeline running
        // When the load generator sends 200 votes/s for 1 s of warm-up and 2 s of measurement
        Run run = loadgen(out, "--protocol", protocol, "--rate", "200", "--warmup", "1s", "--duration", "2s",
                "--batch-size", "20");

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
        // Given the pipeline running
        // When 4 users vote over gRPC for 2 s in contest "loadgen-it" with a generated catalog, 20 voters,
        // and a fifth of the sends repeating an acknowledged vote
        Run run = loadgen(out, "--protocol", "grpc", "--users", "4", "--warmup", "0s", "--duration", "2s",
                "--contest", "loadgen-it", "--voters", "20", "--generate", "--catalog", "3x2", "--skew", "1",
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
        try (OvationClients clients = new OvationClients(ovation.httpPort(), ovation.grpcPort(), ovation.resultsPort())) {
            JsonNode results = clients.getResults("/api/contests/loadgen-it/results").body();
            assertThat(results.get("bands")).extracting(b -> b.get("band").asText())
                    .containsExactlyInAnyOrder("Band 1", "Band 2", "Band 3");
        }
        assertThat(Files.readString(out.resolve("report.html"))).contains("<svg", "PASS");
    }

    @Test
    void shouldAccountForVotesRejectedOverAVotersLimit(@TempDir Path out) throws Exception {
        // Given a contest with a catalog and a limit of 3 votes per voter
        // When 200 votes/s go to it over HTTP batches for 2 s, from 10 voters, drawn from the contest's catalog
        Run run = loadgen(out, "--protocol", "http-batch", "--rate", "200", "--warmup", "0s", "--duration", "2s",
                "--batch-size", "10", "--contest", "loadgen-limited", "--voters", "10", "--generate");

        // Then 30 votes are counted (3 for each voter), the rest are rejected, and together they account
        // for every acknowledged vote
        assertThat(run.status()).as("exit status; summary:%n%s%s", run.summary(), run.errors()).isZero();
        JsonNode verification = run.report().get("verification");
        assertThat(verification.get("passed").asBoolean()).isTrue();
        assertThat(verification.get("counted").asLong()).isEqualTo(30);
        assertThat(verification.get("rejected").asLong())
                .isEqualTo(run.report().get("counts").get("acknowledged").asLong() - 30);
        assertThat(run.report().get("votes").asText()).contains("the catalog of contest loadgen-limited");
    }
}
