package dev.ovation.loadgen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ovation.model.Protocol;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class LoadgenCommandTest {

    /** Parses the arguments and returns the checked settings, without running anything. */
    private static LoadSettings parse(String... args) {
        LoadgenCommand command = new LoadgenCommand();
        new CommandLine(command).parseArgs(args);
        return command.settings();
    }

    /** Runs the command line and returns its exit status and what it printed to standard error. */
    private static Object[] run(String... args) {
        StringWriter err = new StringWriter();
        StringWriter out = new StringWriter();
        int status = new CommandLine(new LoadgenCommand()).setErr(new PrintWriter(err)).setOut(new PrintWriter(out))
                .execute(args);
        return new Object[] {status, err.toString(), out.toString()};
    }

    @Test
    void shouldSayToStartOvationWhenNothingAnswers() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        String nowhere = "http://127.0.0.1:" + port;

        Object[] result = run("--results-url", nowhere, "--ingest-url", nowhere, "--duration", "1s", "--warmup", "0s");

        assertThat((int) result[0]).isNotZero();
        assertThat((String) result[1]).contains("the results API at " + nowhere)
                .contains("is unreachable")
                .contains("is Ovation running? Start it with ./ovation standalone (or give --results-url where its"
                        + " results API is, or --no-verify to send without checking the counts)");
    }

    @Test
    void shouldDefaultToTheOpenModelAt2000VotesPerSecondOverHttp() {
        // Given no options
        // When parsing
        LoadSettings s = parse();

        // Then the defaults hold: open model, 2,000 votes/s, 30 s after 5 s, the seed's votes, verified
        assertThat(s.protocol()).isEqualTo(Protocol.HTTP);
        assertThat(s.openModel()).isTrue();
        assertThat(s.rate()).isEqualTo(2_000);
        assertThat(s.duration()).isEqualTo(Duration.ofSeconds(30));
        assertThat(s.warmup()).isEqualTo(Duration.ofSeconds(5));
        assertThat(s.maxInFlight()).isEqualTo(10_000);
        assertThat(s.connections()).isEqualTo(64);
        assertThat(s.batchSize()).isEqualTo(1);
        assertThat(s.votesFile()).isEqualTo("seed");
        assertThat(s.contest()).isEqualTo("default");
        assertThat(s.verify()).isTrue();
        assertThat(s.freshness()).isTrue();
        assertThat(s.ingest().toString()).isEqualTo("http://127.0.0.1:8080");
        assertThat(s.grpcTarget()).isEqualTo("127.0.0.1:50051");
    }

    @Test
    void shouldReadRatesAndDurationsAsPeopleWriteThem() {
        // Given rates and durations in several spellings
        // When parsing them
        // Then they mean what they say
        assertThat(parse("--rate", "20k").rate()).isEqualTo(20_000);
        assertThat(parse("--rate", "1.5k").rate()).isEqualTo(1_500);
        assertThat(parse("--rate", "0.5").rate()).isEqualTo(0.5);
        assertThat(Durations.parse("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(Durations.parse("1.5s")).isEqualTo(Duration.ofMillis(1_500));
        assertThat(Durations.parse("2m")).isEqualTo(Duration.ofMinutes(2));
        assertThat(Durations.parse("12")).isEqualTo(Duration.ofSeconds(12));
        assertThat(Durations.parse("1h")).isEqualTo(Duration.ofHours(1));
        assertThatThrownBy(() -> Durations.parse("soon")).hasMessageContaining("not a duration");
        assertThatThrownBy(() -> Rates.parse("fast")).hasMessageContaining("not a rate");
    }

    @Test
    void shouldSetUpTheClosedModelAndTheBatchProtocols() {
        // Given the closed model with batches, and gRPC streaming
        LoadSettings closed = parse("--protocol", "http-batch", "--users", "8", "--batch-size", "50");
        LoadSettings stream = parse("-p", "grpc-stream");

        // When parsed
        // Then the closed model has room for every user's batch in flight, and gRPC uses 2 connections
        assertThat(closed.openModel()).isFalse();
        assertThat(closed.users()).isEqualTo(8);
        assertThat(closed.rate()).isZero();
        assertThat(closed.batchSize()).isEqualTo(50);
        assertThat(closed.maxInFlight()).isEqualTo(10_000);
        assertThat(parse("--users", "20", "--max-in-flight", "5").maxInFlight()).isEqualTo(20);
        assertThat(stream.protocol()).isEqualTo(Protocol.GRPC_STREAM);
        assertThat(stream.connections()).isEqualTo(2);
        assertThat(stream.overGrpc()).isTrue();
    }

    @Test
    void shouldRejectOptionsThatContradictEachOther() {
        // Given contradictory or impossible options
        // When running with them
        // Then the command refuses with status 2 and says why
        assertRejected("exclude each other", "--rate", "100", "--users", "4");
        assertRejected("cannot be resent", "-p", "seed-http", "--duplicates", "0.1");
        assertRejected("carry no voter", "-p", "seed-grpc", "--voters", "10");
        assertRejected("always vote in the contest 'default'", "-p", "seed-http", "--contest", "finals");
        assertRejected("--duplicates must be a fraction", "--duplicates", "1.5");
        assertRejected("--batch-size must be 1 to 1000", "-p", "http-batch", "--batch-size", "1001");
        assertRejected("not a protocol", "-p", "carrier-pigeon");
        assertRejected("--contest must be", "--contest", "Not Valid");
        assertRejected("--catalog is for --generate", "--catalog", "3x2");
        assertRejected("--rate must be more than 0", "--rate", "0");
        assertRejected("--ingest-url must be an http:// URL", "--ingest-url", "ftp://x");
    }

    private static void assertRejected(String reason, String... args) {
        Object[] result = run(args);
        assertThat(result[0]).as("status of %s", String.join(" ", args)).isEqualTo(2);
        assertThat((String) result[1]).contains(reason);
    }

    @Test
    void shouldDescribeEveryOptionInTheHelp() {
        // Given the command
        CommandLine cli = new CommandLine(new LoadgenCommand());

        // When asking for help
        Object[] result = run("--help");

        // Then every option has a description, and the help names the protocols and the models
        cli.getCommandSpec().options().forEach(o ->
                assertThat(String.join(" ", o.description())).as("description of %s", o.longestName()).isNotBlank());
        assertThat(result[0]).isEqualTo(0);
        assertThat(((String) result[2]).replaceAll("\\s+", " ")).contains("--protocol", "http, http-batch, seed-http, grpc, grpc-stream, seed-grpc",
                "--rate", "--users", "--duration", "--warmup", "--max-in-flight", "--voters", "--duplicates",
                "--report", "--html", "coordinated omission", "Freshness", "default: 2000 unless --users");
    }
}
