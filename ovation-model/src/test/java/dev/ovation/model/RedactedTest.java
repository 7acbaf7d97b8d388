package dev.ovation.model;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Passwords in connection strings never reach a log line or a message. */
class RedactedTest {

    @Test
    void shouldHideThePasswordOfEachUri() {
        assertThat(Redacted.uri("redis://:s3cret@10.0.0.5:6379")).isEqualTo("redis://:<password>@10.0.0.5:6379");
        assertThat(Redacted.uri("mongodb://ovation:p%40ss@db-0:27017,db-1:27017/?w=majority"))
                .isEqualTo("mongodb://ovation:<password>@db-0:27017,db-1:27017/?w=majority");
        assertThat(Redacted.uri("redis://:a@r1:6379,redis://:b@r2:6379"))
                .isEqualTo("redis://:<password>@r1:6379,redis://:<password>@r2:6379");
    }

    @Test
    void shouldLeaveAUriWithoutPasswordAsItIs() {
        assertThat(Redacted.uri("redis://127.0.0.1:16379")).isEqualTo("redis://127.0.0.1:16379");
        assertThat(Redacted.uri("mongodb://db:27017/ovation")).isEqualTo("mongodb://db:27017/ovation");
        assertThat(Redacted.uri("redis://user@host:1")).isEqualTo("redis://user@host:1");
    }
}
