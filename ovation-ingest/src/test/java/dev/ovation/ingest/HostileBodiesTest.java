package dev.ovation.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ovation.model.InvalidVoteException;
import dev.ovation.model.VoteValidator;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The committed corpus of hostile vote bodies ({@code hostile/bodies.txt}): each one is refused by
 * the decoder or the validator with a named field, never with another exception. {@code
 * InvalidInputIT} replays the same corpus against a running ingest.
 */
class HostileBodiesTest {

    /** The corpus: description and body. */
    static List<Arguments> corpus() throws IOException {
        List<Arguments> entries = new ArrayList<>();
        try (InputStream in = HostileBodiesTest.class.getResourceAsStream("/hostile/bodies.txt")) {
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] parts = line.split("\t", 2);
                entries.add(Arguments.of(parts[0], Base64.getDecoder().decode(parts.length > 1 ? parts[1] : "")));
            }
        }
        return entries;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void shouldRefuseEachHostileBodyNamingTheField(String description, byte[] body) {
        for (boolean seedShape : List.of(false, true)) {
            assertThatThrownBy(() -> new VoteValidator().validate(VoteHttpApi.readVote(body, seedShape)))
                    .as(description + (seedShape ? " (seed shape)" : ""))
                    .isInstanceOfSatisfying(InvalidVoteException.class, e -> {
                        assertThat(e.field()).isNotBlank();
                        assertThat(e.getMessage()).isNotBlank().doesNotContain("\n\tat ");
                    });
        }
    }

}
