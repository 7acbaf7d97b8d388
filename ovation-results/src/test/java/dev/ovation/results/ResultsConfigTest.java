package dev.ovation.results;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ovation.model.ConfigException;
import dev.ovation.model.Env;
import dev.ovation.store.StoreSettings;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The results role's settings, read from a plain map: defaults, values, and bad values named. */
class ResultsConfigTest {

    @TempDir
    Path dir;

    @Test
    void shouldBoundHeavyReadsByDefault() {
        ResultsConfig config = ResultsConfig.from(new Env(Map.of()));

        ResultsConfig.Reads reads = config.reads();
        assertThat(reads.trustedProxies()).isEmpty();
        assertThat(reads.exports()).isEqualTo(new ResultsConfig.Bounds(2, 1));
        assertThat(reads.voteChecks()).isEqualTo(new ResultsConfig.Bounds(16, 4));
        assertThat(reads.streams()).isEqualTo(new ResultsConfig.Bounds(2_000, 200));
        assertThat(reads.exportBytesPerSecond()).isEqualTo(8L * 1024 * 1024);
        assertThat(reads.exportCacheBytes()).isEqualTo(48L * 1024 * 1024);
        assertThat(reads.exportCacheDir()).isNull();
        assertThat(ResultsConfig.Reads.DEFAULTS).isEqualTo(reads);
        assertThat(config.port()).isEqualTo(ResultsConfig.DEFAULT_PORT);
    }

    @Test
    void shouldReadEveryBoundFromTheEnvironment() {
        ResultsConfig.Reads reads = ResultsConfig.from(new Env(Map.of(
                "OVATION_TRUSTED_PROXIES", "10.0.0.0/8",
                "OVATION_EXPORTS_MAX", "4", "OVATION_EXPORTS_PER_ADDRESS", "2",
                "OVATION_VOTE_CHECKS_MAX", "32", "OVATION_VOTE_CHECKS_PER_ADDRESS", "8",
                "OVATION_STREAMS_MAX", "5000", "OVATION_STREAMS_PER_ADDRESS", "1000",
                "OVATION_EXPORT_MB_PER_SECOND", "0",
                "OVATION_EXPORT_CACHE_MB", "0",
                "OVATION_EXPORT_CACHE_DIR", dir.toString()))).reads();

        assertThat(reads).isEqualTo(new ResultsConfig.Reads("10.0.0.0/8", new ResultsConfig.Bounds(4, 2),
                new ResultsConfig.Bounds(32, 8), new ResultsConfig.Bounds(5_000, 1_000), 0, 0, dir));
    }

    @Test
    void shouldNameTheVariableOfABadValue() {
        assertThatThrownBy(() -> ResultsConfig.from(new Env(Map.of("OVATION_EXPORTS_MAX", "0"))))
                .isInstanceOf(ConfigException.class)
                .hasMessage("OVATION_EXPORTS_MAX=0 is out of range; expected 1 to 64");
        assertThatThrownBy(() -> ResultsConfig.from(new Env(Map.of("OVATION_STREAMS_PER_ADDRESS", "many"))))
                .hasMessage("OVATION_STREAMS_PER_ADDRESS=many is not a whole number; expected 1 to 10000");
        assertThatThrownBy(() -> ResultsConfig.from(new Env(Map.of("OVATION_TRUSTED_PROXIES", "ingress.local"))))
                .hasMessage("OVATION_TRUSTED_PROXIES: 'ingress.local' is not an address or a CIDR range"
                        + " (e.g. 10.0.0.0/8 or ::1)");
        assertThatThrownBy(() -> ResultsConfig.from(new Env(Map.of("OVATION_EXPORT_CACHE_DIR",
                dir.resolve("missing").toString()))))
                .hasMessage("OVATION_EXPORT_CACHE_DIR=" + dir.resolve("missing") + " is not a writable directory");
    }

    @Test
    void shouldKeepTheBoundsWhenMovedToTheStandalonesServers() {
        ResultsConfig config = ResultsConfig.from(new Env(Map.of("OVATION_EXPORTS_MAX", "3")));
        StoreSettings standalones = StoreSettings.from(new Env(Map.of("OVATION_TOPIC", "other-votes")))
                .at("127.0.0.1:1", "redis://127.0.0.1:2", "mongodb://127.0.0.1:3");

        ResultsConfig moved = config.at(standalones, "127.0.0.1", 4);

        assertThat(moved.reads()).isEqualTo(config.reads());
        assertThat(moved.stores().kafkaBootstrap()).isEqualTo("127.0.0.1:1");
        assertThat(moved.stores().votesTopic().name()).isEqualTo("other-votes");
        assertThat(moved.port()).isEqualTo(4);
    }
}
