package dev.ovation.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.InvalidProtocolBufferException;
import org.junit.jupiter.api.Test;

class VoteEnvelopeTest {

    @Test
    void shouldRoundTripThroughTheKafkaEncoding() throws Exception {
        VoteEnvelope sent = new VoteEnvelope(new Vote("id-1", "default", "Led Zeppelin", "Houses of the Holy",
                "2024", "6", "voter-9"), "grpc", 1_732_600_000_123L, 2);

        assertThat(VoteEnvelope.decode(sent.encode())).isEqualTo(sent);
    }

    @Test
    void shouldRefuseBytesThatAreNotAVote() {
        assertThatThrownBy(() -> VoteEnvelope.decode(new byte[] {1, 2, 3}))
                .isInstanceOf(InvalidProtocolBufferException.class);
        assertThatThrownBy(() -> VoteEnvelope.decode(new byte[0]))
                .isInstanceOf(InvalidProtocolBufferException.class);
    }
}
