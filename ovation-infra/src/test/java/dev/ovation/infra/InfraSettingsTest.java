package dev.ovation.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class InfraSettingsTest {

    @Test
    void shouldUseLoopbackAndOvationPortsByDefault() {
        // When
        InfraSettings settings = InfraSettings.defaults(Path.of("data"));

        // Then
        assertThat(settings).isEqualTo(new InfraSettings(Path.of("data"), "127.0.0.1", 19092, 16379, 27027));
        assertThat(settings.kafkaDir()).isEqualTo(Path.of("data", "kafka"));
        assertThat(settings.redisDir()).isEqualTo(Path.of("data", "redis"));
    }

    @Test
    void shouldRejectPortOutOfRange() {
        assertThatThrownBy(() -> new InfraSettings(Path.of("data"), "127.0.0.1", 0, 16379, 27027))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("kafkaPort must be in 1..65535, got 0");
    }

    @Test
    void shouldRejectTwoServersOnOnePort() {
        assertThatThrownBy(() -> new InfraSettings(Path.of("data"), "127.0.0.1", 19092, 19092, 27027))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("ports must differ, got kafka=19092 redis=19092 mongo=27027");
    }

    @Test
    void shouldRejectBlankHost() {
        assertThatThrownBy(() -> new InfraSettings(Path.of("data"), " ", 19092, 16379, 27027))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("host must not be blank");
    }
}
