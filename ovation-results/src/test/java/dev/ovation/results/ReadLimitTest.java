package dev.ovation.results;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

/** How many heavy reads run at once, in all and per client address: the bounds alone, no server. */
class ReadLimitTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final ReadLimit exports = new ReadLimit("export", "log exports", new ResultsConfig.Bounds(3, 2), 5,
            registry);

    @Test
    void shouldRefuseAnAddressPastItsBoundWhileOthersAreServed() throws Exception {
        // Given two exports running for one address
        exports.admit("192.0.2.1");
        exports.admit("192.0.2.1");

        // When it asks for a third, Then it is refused, naming its address and when to retry
        assertThatThrownBy(() -> exports.admit("192.0.2.1"))
                .isInstanceOf(ReadLimit.Refused.class)
                .hasMessage("too many log exports at once from address 192.0.2.1: at most 2; retry after 5 s")
                .satisfies(e -> assertThat(((ReadLimit.Refused) e).retryAfterSeconds()).isEqualTo(5));
        // And another address is still served
        exports.admit("192.0.2.2");
        assertThat(exports.inUse()).isEqualTo(3);
        assertThat(exports.inUse("192.0.2.1")).isEqualTo(2);
        assertThat(refused("address")).isEqualTo(1.0);
    }

    @Test
    void shouldRefuseEveryAddressOnceTheServerIsAtItsBound() throws Exception {
        exports.admit("192.0.2.1");
        exports.admit("192.0.2.2");
        exports.admit("192.0.2.3");

        assertThatThrownBy(() -> exports.admit("192.0.2.4"))
                .isInstanceOf(ReadLimit.Refused.class)
                .hasMessage("too many log exports at once on this server: at most 3; retry after 5 s");
        assertThat(refused("server")).isEqualTo(1.0);
        assertThat(refused("address")).isZero();
    }

    @Test
    void shouldFreeAPlaceOnceWhenItsReadEndsHoweverOftenItIsClosed() throws Exception {
        // Given an address at its bound
        ReadLimit.Slot first = exports.admit("192.0.2.1");
        exports.admit("192.0.2.1");

        // When one of its reads ends, and its slot is closed again by a second path
        first.close();
        first.close();

        // Then exactly one place is free again
        assertThat(exports.inUse("192.0.2.1")).isEqualTo(1);
        assertThat(exports.inUse()).isEqualTo(1);
        exports.admit("192.0.2.1");
        assertThatThrownBy(() -> exports.admit("192.0.2.1")).isInstanceOf(ReadLimit.Refused.class);
    }

    @Test
    void shouldForgetAnAddressWhoseReadsAllEnded() throws Exception {
        try (ReadLimit.Slot slot = exports.admit("192.0.2.1")) {
            assertThat(exports.inUse("192.0.2.1")).isEqualTo(1);
        }

        assertThat(exports.inUse("192.0.2.1")).isZero();
        assertThat(exports.inUse()).isZero();
        assertThat(registry.get("ovation.reads.in.progress").tag("read", "export").gauge().value()).isZero();
    }

    @Test
    void shouldCountAnUnknownClientAsOneAddress() throws Exception {
        exports.admit(null);
        exports.admit(null);

        assertThatThrownBy(() -> exports.admit(null)).hasMessageContaining("from address unknown: at most 2");
    }

    @Test
    void shouldRefuseBoundsBelowOne() {
        assertThatThrownBy(() -> new ReadLimit("export", "log exports", new ResultsConfig.Bounds(0, 1), 5, registry))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ReadLimit("export", "log exports", new ResultsConfig.Bounds(1, 1), 0, registry))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private double refused(String bound) {
        return registry.get("ovation.reads.refused").tag("read", "export").tag("bound", bound).counter().count();
    }
}
