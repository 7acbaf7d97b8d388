package dev.ovation.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
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
}
