package dev.ovation.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

class MainTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cli = Main.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    @Test
    void shouldListEveryRoleInHelp() {
        assertThat(run("--help")).isZero();
        assertThat(out.toString()).contains("standalone", "infra", "ingest", "counter", "results");
    }

    @ParameterizedTest
    @ValueSource(strings = {"standalone", "infra", "ingest", "counter", "results"})
    void shouldGiveHelpForEveryRole(String role) {
        assertThat(run(role, "--help")).isZero();
        assertThat(out.toString()).startsWith("Usage: ovation " + role);
    }

    @Test
    void shouldDocumentTheEnvironmentOfTheRoles() {
        run("ingest", "--help");
        assertThat(out.toString()).contains("OVATION_KAFKA", "OVATION_HTTP_PORT", "OVATION_GRPC_PORT", "OVATION_ACK_TIMEOUT_MS");
    }

    @Test
    void shouldRejectAnUnknownRole() {
        assertThat(run("vote")).isEqualTo(2);
        assertThat(err.toString()).contains("Unmatched argument at index 0: 'vote'");
    }

    @Test
    void shouldFailFastWithAClearMessageWhenASettingIsBad() {
        // a port that cannot be a port, given as a flag
        assertThat(run("standalone", "--http-port", "eighty")).isEqualTo(2);
        assertThat(err.toString()).contains("Invalid value for option '--http-port': 'eighty' is not an int");
    }

    @Test
    void shouldNameTheOptionAWordWhereAnOptionWasExpectedBelongsTo() {
        // When a contest is given as a word, not as the value of --contest
        int exit = run("recount", "seed");

        // Then it is a usage error that says what was wrong and what to type
        assertThat(exit).isEqualTo(2);
        assertThat(err.toString()).isEqualTo("""
                ovation recount: unexpected argument 'seed': recount takes no positional arguments, every value goes\
                 after the name of its option. Did you mean:
                  ovation recount --contest seed
                'ovation recount --help' describes the options.
                """);
    }

    @Test
    void shouldKeepTheOtherArgumentsInTheCommandItSuggests() {
        assertThat(run("recount", "--repair", "seed")).isEqualTo(2);

        assertThat(err.toString()).contains("Did you mean:\n  ovation recount --repair --contest seed\n");
    }

    @Test
    void shouldSuggestTheOptionWhoseValuesHoldTheWord() {
        // infra has six options that take a value, none required: "redis" is one of --only's values
        assertThat(run("infra", "redis")).isEqualTo(2);

        assertThat(err.toString()).contains("Did you mean:\n  ovation infra --only redis\n");
    }

    @Test
    void shouldListTheOptionsThatTakeAValueWhenNoneStandsOut() {
        assertThat(run("standalone", "9090")).isEqualTo(2);

        assertThat(err.toString()).isEqualTo("""
                ovation standalone: unexpected argument '9090': standalone takes no positional arguments, every value\
                 goes after the name of its option, one of: --contests, --data-dir, --expose-infra, --kafka-port,\
                 --redis-port, --mongo-port, --host, --http-port, --grpc-port, --results-port, --counter-port.
                'ovation standalone --help' describes the options.
                """);
    }

    @Test
    void shouldPointARoleConfiguredByItsEnvironmentToItsHelp() {
        assertThat(run("ingest", "9090")).isEqualTo(2);

        assertThat(err.toString()).isEqualTo("ovation ingest: unexpected argument '9090': ingest takes no arguments; its"
                + " settings come from the environment, which 'ovation ingest --help' lists.\n");
    }

    @Test
    void shouldSayAWordIsExtraWhenEveryOptionIsGiven() {
        assertThat(run("recount", "--contest", "seed", "final")).isEqualTo(2);

        assertThat(err.toString()).startsWith("ovation recount: unexpected argument 'final': recount takes no"
                + " positional arguments, every value goes after the name of its option.\n");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "standalone", "infra", "ingest", "counter", "results", "recount", "loadgen", "chaos"})
    void shouldFitTheHelpInEightyColumnsWithWrappedFooterLinesIndented(String command) {
        // When asking for a command's help
        assertThat(command.isEmpty() ? run("--help") : run(command, "--help")).isZero();
        List<String> lines = out.toString().lines().toList();

        // Then no line is wider than the usage width
        assertThat(lines).allSatisfy(line -> assertThat(line.length()).as(line).isLessThanOrEqualTo(80));
        // And in the footer (environment, exit codes, notes), a line at column 0 is the start of a line of
        // the footer's source, never the rest of a wrapped one
        CommandLine cli = command.isEmpty() ? Main.commandLine() : Main.commandLine().getSubcommands().get(command);
        List<String> footer = List.of(cli.getCommandSpec().usageMessage().footer());
        String heading = footer.stream().filter(line -> !line.isBlank()).findFirst().orElseThrow();
        int from = -1;
        for (int i = 0; i < lines.size(); i++) {
            if (!lines.get(i).isBlank() && heading.startsWith(lines.get(i))) {
                from = i;
            }
        }
        assertThat(from).as("where the footer starts").isPositive();
        assertThat(lines.subList(from, lines.size())).filteredOn(line -> !line.isBlank() && !line.startsWith(" "))
                .isNotEmpty()
                .allSatisfy(line -> assertThat(footer).as(line).anyMatch(source -> source.startsWith(line)));
    }
}
