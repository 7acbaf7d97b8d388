package dev.ovation.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class EnvTest {

    @Test
    void shouldUseFallbackForUnsetOrBlank() {
        Env env = new Env(Map.of("A", "  "));

        assertThat(env.string("A", "x")).isEqualTo("x");
        assertThat(env.port("B", 8080)).isEqualTo(8080);
    }

    @Test
    void shouldParsePorts() {
        assertThat(new Env(Map.of("P", " 9090 ")).port("P", 1)).isEqualTo(9090);
    }

    @Test
    void shouldNameTheVariableWhenAPortIsBad() {
        assertThatThrownBy(() -> new Env(Map.of("OVATION_HTTP_PORT", "eighty")).port("OVATION_HTTP_PORT", 1))
                .isInstanceOf(ConfigException.class)
                .hasMessage("OVATION_HTTP_PORT=eighty is not a whole number; expected 0 to 65535");
        assertThatThrownBy(() -> new Env(Map.of("OVATION_HTTP_PORT", "70000")).port("OVATION_HTTP_PORT", 1))
                .hasMessage("OVATION_HTTP_PORT=70000 is out of range; expected 0 to 65535");
    }
}
