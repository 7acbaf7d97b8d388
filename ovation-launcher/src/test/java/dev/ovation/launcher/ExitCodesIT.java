package dev.ovation.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ovation.infra.LocalPorts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The exit codes a script can trust, from the built jar: 2 for a bad setting or option, 3 when a
 * service cannot be reached (so {@code recount} never passes an outage off as a wrong count, 1).
 */
class ExitCodesIT {

    @TempDir
    Path dir;

    @Test
    void shouldExitThreeWhenTheRecountCannotReachKafka() throws Exception {
        int nobody = LocalPorts.pickFree("127.0.0.1");

        Process recount = start(Map.of("OVATION_KAFKA", "127.0.0.1:" + nobody), "recount", "--contest", "default");

        assertThat(recount.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(recount.exitValue()).as(read("err")).isEqualTo(3);
        // one line that says what did not answer and what to do, without the Kafka client's warnings
        assertThat(read("err")).isEqualTo(kafkaDidNotAnswer("recount", nobody));
    }

    @Test
    void shouldExitThreeWithOneLineWhenARoleCannotReachKafka() throws Exception {
        int nobody = LocalPorts.pickFree("127.0.0.1");
        Process counter = start(Map.of("OVATION_KAFKA", "127.0.0.1:" + nobody, "OVATION_COUNTER_PORT", "0"), "counter");

        assertThat(counter.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(counter.exitValue()).as(read("err")).isEqualTo(3);
        assertThat(read("err")).isEqualTo(kafkaDidNotAnswer("counter", nobody));
    }

    private static String kafkaDidNotAnswer(String command, int port) {
        return "ovation " + command + ": Kafka at 127.0.0.1:" + port + " did not answer (connection refused): start it,"
                + " or set OVATION_KAFKA to its bootstrap servers (./ovation infra runs one at 127.0.0.1:19092)\n";
    }

    @Test
    void shouldExitTwoOnABadSettingOrOption() throws Exception {
        Process badSetting = start(Map.of("OVATION_DEDUP_RETENTION_HOURS", "-5"), "recount", "--contest", "default");
        assertThat(badSetting.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(badSetting.exitValue()).as(read("err")).isEqualTo(2);

        Process badOption = start(Map.of(), "recount", "--contest", "default", "--force");
        assertThat(badOption.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(badOption.exitValue()).as(read("err")).isEqualTo(2);
    }

    private Process start(Map<String, String> env, String... args) throws IOException {
        return LauncherJar.start(dir, env, args);
    }

    private String read(String stream) throws IOException {
        return Files.readString(dir.resolve(stream));
    }
}
