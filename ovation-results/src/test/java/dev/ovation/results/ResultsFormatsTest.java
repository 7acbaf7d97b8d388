package dev.ovation.results;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ovation.model.contest.Contest;
import dev.ovation.store.ContestTally;
import io.swagger.v3.parser.OpenAPIV3Parser;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the results role shows, without a store: masked voters, rates, CSV cells, results compared. */
class ResultsFormatsTest {

    private static final Instant T0 = Instant.parse("2026-12-04T20:00:00Z");

    @Test
    void shouldShowOnlyFourCharactersOfAVoterPseudonym() {
        assertThat(LoggedVote.mask("v1:Qx3kZ1abcdefghijklmnop")).isEqualTo("Qx3k\u2026");
        assertThat(LoggedVote.mask("ab")).isEqualTo("ab\u2026");
        assertThat(LoggedVote.mask("")).isNull();
        assertThat(LoggedVote.mask(null)).isNull();
    }

    @Test
    void shouldTurnSampledTotalsIntoVotesPerSecondOverTheLastTenMinutes() {
        VoteRates rates = new VoteRates();
        rates.record("c", T0, 100);
        rates.record("c", T0.plusSeconds(1), 150);
        rates.record("c", T0.plusMillis(3_000), 250);
        rates.record("c", T0.plusSeconds(4), 10);

        assertThat(rates.since("c", null)).containsExactly(new VoteRates.RatePoint(T0.plusSeconds(1), 50),
                new VoteRates.RatePoint(T0.plusSeconds(3), 50), new VoteRates.RatePoint(T0.plusSeconds(4), 0));
        assertThat(rates.since("c", T0.plusSeconds(3))).containsExactly(new VoteRates.RatePoint(T0.plusSeconds(4), 0));
        assertThat(rates.since("other", null)).isEmpty();

        rates.record("c", T0.plus(VoteRates.WINDOW).plusSeconds(2), 20);
        assertThat(rates.since("c", null)).extracting(VoteRates.RatePoint::at)
                .containsExactly(T0.plusSeconds(3), T0.plusSeconds(4), T0.plus(VoteRates.WINDOW).plusSeconds(2));
    }

    @Test
    void shouldDefuseCellsASpreadsheetWouldRunAsFormulas() throws Exception {
        ContestTally tally = new ContestTally("c", 5, 0, Map.of(), List.of(
                new ContestTally.BandTally("=HYPERLINK(\"x\")", 3, List.of(new ContestTally.AlbumTally("@SUM(1)", 3))),
                new ContestTally.BandTally("Queen, \"the\" band", 2, List.of(new ContestTally.AlbumTally("Jazz", 2)))));
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        CsvExport.results(tally, out);

        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("""
                band,band_votes,album,album_votes
                "'=HYPERLINK(""x"")",3,"'@SUM(1)",3
                "Queen, ""the"" band",2,Jazz,2
                """);
        assertThat(CsvExport.cell("-1")).isEqualTo("'-1");
        assertThat(CsvExport.cell("Queen")).isEqualTo("Queen");
    }

    @Test
    void shouldTellResultsApartByEverythingButWhenTheyWereRead() {
        Contest contest = new Contest("c", "C", Map.of(), null, null, Contest.SCHEDULED, 0, null);
        ContestTally tally = new ContestTally("c", 5, 1, Map.of(), List.of());
        ContestResults now = ContestResults.of(contest, tally, 0, T0);

        assertThat(now.sameAs(ContestResults.of(contest, tally, 0, T0.plusSeconds(1)))).isTrue();
        assertThat(now.sameAs(ContestResults.of(contest, new ContestTally("c", 6, 1, Map.of(), List.of()), 0, T0)))
                .isFalse();
        assertThat(now.sameAs(ContestResults.of(contest, tally, 1, T0))).isFalse();
        assertThat(now.sameAs(ContestResults.of(contest.withState(Contest.CLOSED), tally, 0, T0))).isFalse();
        assertThat(now.sameAs(null)).isFalse();
    }

    @Test
    void shouldDescribeTheApiInAValidOpenApiFile() throws Exception {
        String yaml;
        try (var in = ResultsHttpApi.class.getResourceAsStream("openapi.yaml")) {
            yaml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }

        var parsed = new OpenAPIV3Parser().readContents(yaml, null, null);

        assertThat(parsed.getMessages()).isEmpty();
        assertThat(parsed.getOpenAPI().getOpenapi()).isEqualTo("3.1.0");
        assertThat(parsed.getOpenAPI().getPaths().get("/api/contests/{contest}/votes/{id}").getGet().getResponses())
                .containsKeys("200", "400", "404", "503");
    }

    @Test
    void shouldWriteAnUpdateAsOneServerSentEventOnOneDataLine() {
        byte[] event = LiveFeed.event(new LiveFeed.LiveUpdate(false, null, List.of(), List.of()));

        assertThat(new String(event, StandardCharsets.UTF_8))
                .isEqualTo("event: update\ndata: {\"first\":false,\"entries\":[],\"rate\":[]}\n\n");
    }

    @Test
    void shouldSendAGzipFileOnlyToAClientThatTakesGzip() {
        assertThat(ResultsHttpApi.acceptsGzip("gzip, deflate, br")).isTrue();
        assertThat(ResultsHttpApi.acceptsGzip("br;q=1.0, GZIP;q=0.5")).isTrue();
        assertThat(ResultsHttpApi.acceptsGzip("x-gzip")).isTrue();
        assertThat(ResultsHttpApi.acceptsGzip("gzip;q=0")).isFalse();
        assertThat(ResultsHttpApi.acceptsGzip("gzip;q=zero")).isFalse();
        assertThat(ResultsHttpApi.acceptsGzip("identity")).isFalse();
        assertThat(ResultsHttpApi.acceptsGzip(null)).isFalse();
    }
}
