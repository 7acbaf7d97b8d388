package dev.ovation.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The recount's command line: help and usage errors, without Kafka or Redis. */
class RecountCommandTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cli = new CommandLine(new RecountCommand());
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    @Test
    void shouldDescribeItsOptionsExitCodesAndEnvironmentInHelp() {
        // When asking for help
        int exit = run("--help");

        // Then the usage names the options, the exit codes and the settings read from the environment
        assertThat(exit).isZero();
        assertThat(out.toString()).startsWith("Usage: recount")
                .contains("--contest=ID", "--repair", "Exit codes:", "  0  the tallies agree (or were repaired)",
                        "  1  they differ", "  3  Kafka or Redis cannot be reached",
                        "OVATION_KAFKA", "OVATION_REDIS", "Redis Cluster seeds", "OVATION_TOPIC",
                        "OVATION_DEDUP_RETENTION_HOURS");
    }

    @Test
    void shouldRequireAContest() {
        // When run without a contest
        int exit = run("--repair");

        // Then it is a usage error, naming the missing option, and nothing is read
        assertThat(exit).isEqualTo(2);
        assertThat(err.toString()).contains("Missing required option: '--contest=ID'");
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void shouldRejectAnUnknownOption() {
        // When given an option it does not have
        int exit = run("--contest", "final", "--force");

        // Then it is a usage error
        assertThat(exit).isEqualTo(2);
        assertThat(err.toString()).contains("Unknown option: '--force'");
    }
}
