package dev.ovation.model.contest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.DeserializationFeature;
import dev.ovation.model.ConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContestFileTest {

    @TempDir
    Path dir;

    @Test
    void shouldReadTheShippedSamples() {
        List<Contest> contests = ContestFile.read(Path.of("..", "contests", "samples.yaml"));

        assertThat(contests).extracting(Contest::id).containsExactly("seed", "rock-chapin");
        Contest seed = contests.get(0);
        assertThat(seed.catalog()).hasSize(3);
        assertThat(seed.catalog().values().stream().mapToInt(List::size).sum()).isEqualTo(7);
        assertThat(seed.votesPerVoter()).isZero();
        assertThat(contests.get(1).votesPerVoter()).isEqualTo(2);
        assertThat(contests.get(1).catalog().get("Alux Nahual")).isEmpty();
    }

    @Test
    void shouldRoundTripThroughJson() throws Exception {
        Contest contest = ContestFile.read(Path.of("..", "contests", "samples.yaml")).get(1);

        assertThat(ContestFile.JSON.readValue(ContestFile.JSON.writeValueAsString(contest), Contest.class))
                .isEqualTo(contest);
    }

    @Test
    void shouldRoundTripRateLimitsThroughJsonAsTheContestsTopicHoldsThem() throws Exception {
        Contest contest = new Contest("finals", "Finals", Map.of(), null, null, Contest.SCHEDULED, 2,
                new RateLimits(new RateLimits.Rate(30, 5), RateLimits.Rate.NONE));
        String json = ContestFile.JSON.writeValueAsString(contest);

        assertThat(json).contains("\"limits\":{\"perVoter\":{\"perMinute\":30,\"burst\":5},"
                + "\"perAddress\":{\"perMinute\":0,\"burst\":0}}");
        assertThat(ContestFile.JSON.copy().enable(DeserializationFeature
                .FAIL_ON_UNKNOWN_PROPERTIES).readValue(json, Contest.class)).isEqualTo(contest);
    }

    @Test
    void shouldRefuseARateLimitWithoutABurst() throws Exception {
        Path file = dir.resolve("rate.yaml");
        Files.writeString(file, "contests:\n  - id: a\n    limits:\n      perAddress: {perMinute: 100}\n");

        assertThatThrownBy(() -> ContestFile.read(file))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("limits.perAddress.burst must be 1 to 10000000 when perMinute is set");
    }

    @Test
    void shouldNameTheContestAndFieldAtFault() throws Exception {
        Path file = dir.resolve("bad.yaml");
        Files.writeString(file, "contests:\n  - id: Finals\n");

        assertThatThrownBy(() -> ContestFile.read(file))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("contest Finals: id must be 1 to 64 characters");
    }

    @Test
    void shouldRefuseUnknownFieldsAndDuplicates() throws Exception {
        Path unknown = dir.resolve("unknown.yaml");
        Files.writeString(unknown, "contests:\n  - id: a\n    limit: 2\n");
        Path twice = dir.resolve("twice.yaml");
        Files.writeString(twice, "contests:\n  - id: a\n  - id: a\n");

        assertThatThrownBy(() -> ContestFile.read(unknown)).hasMessageContaining("limit");
        assertThatThrownBy(() -> ContestFile.read(twice)).hasMessageContaining("defines contest 'a' twice");
    }
}
