package dev.ovation.loadgen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class CatalogTest {

    private final ObjectMapper json = new ObjectMapper();

    @Test
    void shouldShareVotesEquallyWithoutSkew() {
        // Given 4 items and skew 0
        // When computing each rank's cumulative share
        double[] cdf = CatalogBallots.cumulativeShares(4, 0);

        // Then each holds a quarter
        assertThat(cdf).containsExactly(new double[] {0.25, 0.5, 0.75, 1.0}, within(1e-12));
    }

    @Test
    void shouldGiveTheKthItemOneKthOfTheFirstsVotesWithSkewOne() {
        // Given 3 items and skew 1: weights 1, 1/2, 1/3 of a sum of 11/6
        // When computing the cumulative shares
        double[] cdf = CatalogBallots.cumulativeShares(3, 1);

        // Then they are 6/11, 9/11, 1
        assertThat(cdf).containsExactly(new double[] {6.0 / 11, 9.0 / 11, 1.0}, within(1e-12));
    }

    @Test
    void shouldPickTheItemADrawFallsOn() {
        double[] cdf = {0.5, 0.75, 1.0};
        assertThat(CatalogBallots.pick(cdf, 0.0)).isZero();
        assertThat(CatalogBallots.pick(cdf, 0.4999)).isZero();
        assertThat(CatalogBallots.pick(cdf, 0.5)).isEqualTo(1);
        assertThat(CatalogBallots.pick(cdf, 0.74)).isEqualTo(1);
        assertThat(CatalogBallots.pick(cdf, 0.75)).isEqualTo(2);
        assertThat(CatalogBallots.pick(cdf, 0.99999)).isEqualTo(2);
    }

    @Test
    void shouldDrawVotesInProportionToPopularity() {
        // Given a catalog of 2 bands x 2 albums with skew 1 (weights 1, 1/2, 1/3, 1/4 of 25/12)
        CatalogBallots ballots = new CatalogBallots(Catalog.synthetic("2x2"), 1.0, new SplittableRandom(11));

        // When drawing 100,000 votes
        Map<String, Integer> counts = new HashMap<>();
        for (int i = 0; i < 100_000; i++) {
            Ballot b = ballots.next();
            counts.merge(b.band() + "/" + b.album(), 1, Integer::sum);
        }

        // Then each gets its share within 1% of the draws
        assertThat(counts.get("Band 1/Album 1")).isCloseTo(48_000, within(1_000));
        assertThat(counts.get("Band 1/Album 2")).isCloseTo(24_000, within(1_000));
        assertThat(counts.get("Band 2/Album 1")).isCloseTo(16_000, within(1_000));
        assertThat(counts.get("Band 2/Album 2")).isCloseTo(12_000, within(1_000));
    }

    @Test
    void shouldRankTheSeedsBandsAndAlbumsByTheirVotes() {
        // Given the seed's 650 votes
        List<Ballot> seed = BallotFile.read(BallotFile.load(json, BallotFile.SEED), "seed");

        // When making a catalog of them
        Catalog catalog = Catalog.of(seed, "seed");

        // Then it holds the 7 albums, the most voted first
        assertThat(seed).hasSize(650);
        assertThat(catalog.items()).hasSize(7);
        assertThat(catalog.items().get(0)).isEqualTo(new Catalog.Item("Led Zeppelin", "Houses of the Holy"));
        assertThat(catalog.items().get(6)).isEqualTo(new Catalog.Item("Pink Floyd", "The Dark Side of the Moon"));
    }

    @Test
    void shouldReadACatalogFileOfBandsAndAlbums() throws Exception {
        // Given a catalog file
        String file = """
                [{"band": "Queen", "albums": ["A Night at the Opera", "News of the World"]},
                 {"band": "Rush", "albums": ["Moving Pictures"]}]""";

        // When reading it
        Catalog catalog = Catalog.read(json.readTree(file), "catalog.json");

        // Then its items keep the file's order
        assertThat(catalog.items()).containsExactly(new Catalog.Item("Queen", "A Night at the Opera"),
                new Catalog.Item("Queen", "News of the World"), new Catalog.Item("Rush", "Moving Pictures"));
        assertThat(Catalog.synthetic("3x2").items()).hasSize(6).first()
                .isEqualTo(new Catalog.Item("Band 1", "Album 1"));
        assertThat(Catalog.synthetic("catalog.json")).isNull();
        assertThatThrownBy(() -> Catalog.read(json.readTree("[{\"band\": \"Queen\", \"albums\": [3]}]"), "bad.json"))
                .hasMessageContaining("bad.json: entry 0");
        assertThatThrownBy(() -> BallotFile.read(json.readTree("[{\"album\": \"x\"}]"), "votes.json"))
                .hasMessageContaining("votes.json: vote 0 needs a \"name\"");
    }
}
