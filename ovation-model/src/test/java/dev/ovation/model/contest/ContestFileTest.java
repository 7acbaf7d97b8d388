package dev.ovation.model.contest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ovation.model.ConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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
