package dev.ovation.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** How a documented sample is compared with what its command printed (ConsoleDocsIT; docs/testing.md). */
class SampleMatcherTest {

    private static final String RESULTS = "{\"contest\":\"default\",\"total\":650,\"duplicates\":0,"
            + "\"asOf\":\"2026-12-04T14:18:03.103718285Z\"}";

    private final SampleMatcher matcher = new SampleMatcher();

    @Test
    void shouldMatchJsonWithOtherTimesAndKeysInAnotherOrder() {
        assertThat(matcher.mismatch(List.of(RESULTS),
                List.of("{\"total\":650,\"contest\":\"default\",\"duplicates\":0,\"asOf\":\"2027-01-01T00:00:00.1Z\"}")))
                .isEmpty();
    }

    @Test
    void shouldRejectAnotherCount() {
        assertThat(matcher.mismatch(List.of(RESULTS), List.of(RESULTS.replace("650", "651"))))
                .hasValueSatisfying(why -> assertThat(why).contains("$.total: 650 in the sample, 651 printed"));
    }

    @Test
    void shouldRejectAKeyTheSampleLacksOrAKeyNotPrinted() {
        assertThat(matcher.mismatch(List.of(RESULTS), List.of(RESULTS.replace("\"duplicates\":0,", "\"duplicates\":0,\"deadLetters\":0,"))))
                .hasValueSatisfying(why -> assertThat(why).contains("printed but not in the sample [deadLetters]"));
        assertThat(matcher.mismatch(List.of(RESULTS), List.of(RESULTS.replace("\"duplicates\":0,", ""))))
                .hasValueSatisfying(why -> assertThat(why).contains("in the sample but not printed [duplicates]"));
    }

    @Test
    void shouldTieAnIdOfTheSampleToThePrintedOneAndQuoteItInLaterCommands() {
        String printed = "0b7e3a52-0c2a-4b53-9d3e-5c0ffee00001";
        assertThat(matcher.mismatch(List.of("{\"id\":\"930cd88a-7b94-47e4-b94a-248d97911a13\",\"contest\":\"default\"}  202"),
                List.of("{\"id\":\"" + printed + "\",\"contest\":\"default\"}  202"))).isEmpty();

        assertThat(matcher.substitute("curl -s localhost:8088/api/contests/default/votes/930cd88a-7b94-47e4-b94a-248d97911a13"))
                .isEqualTo("curl -s localhost:8088/api/contests/default/votes/" + printed);
        assertThat(matcher.mismatch(List.of("vote 930cd88a-7b94-47e4-b94a-248d97911a13 counted"),
                List.of("vote 0b7e3a52-0c2a-4b53-9d3e-5c0ffee00002 counted")))
                .hasValueSatisfying(why -> assertThat(why).contains("stands for " + printed + " already"));
    }

    @Test
    void shouldRejectAnotherStatusCodeAfterTheJson() {
        assertThat(matcher.mismatch(List.of("{\"error\":\"unknown_contest\"}  404"), List.of("{\"error\":\"unknown_contest\"}  400")))
                .isPresent();
    }

    @Test
    void shouldMaskDecimalsMillisecondsMaskedVotersAndPositionsButNotCounts() {
        assertThat(matcher.mismatch(List.of("Ovation is running (ready in 26.2 s: listening after 8.3 s; data in /tmp/x)"),
                List.of("Ovation is running (ready in 9.0 s: listening after 12.4 s; data in /tmp/x)"))).isEmpty();
        assertThat(matcher.mismatch(List.of("warming up: 4128 votes in 5744 ms"), List.of("warming up: 4128 votes in 17 ms")))
                .isEmpty();
        assertThat(matcher.mismatch(List.of("warming up: 4128 votes in 5744 ms"), List.of("warming up: 4129 votes in 5744 ms")))
                .isPresent();
        assertThat(matcher.mismatch(List.of("{\"voter\":\"zGn7…\",\"partition\":1,\"offset\":225,\"next\":\"MTc5\"}"),
                List.of("{\"voter\":\"Qx-k…\",\"partition\":4,\"offset\":3,\"next\":\"OTk5\"}"))).isEmpty();
        assertThat(matcher.mismatch(List.of("{\"voter\":\"zGn7…\"}"), List.of("{\"voter\":\"+50255550123\"}"))).isPresent();
        assertThat(matcher.mismatch(List.of("{\"next\":null}"), List.of("{\"next\":\"MTc5\"}"))).isPresent();
        assertThat(matcher.mismatch(List.of("Kafka 127.0.0.1:19092"), List.of("Kafka 127.0.0.1:19093"))).isPresent();
    }

    @Test
    void shouldLetABracketedLineStandForAnyLinesAndReadTheExitStatus() {
        List<String> sample = List.of("recounting contest seed", "[the same seven stderr lines]", "3 lines differ", "[exit 1]");

        assertThat(matcher.mismatch(sample, List.of("recounting contest seed", "partition 0", "partition 1", "3 lines differ")))
                .isEmpty();
        assertThat(matcher.mismatch(sample, List.of("recounting contest seed", "3 lines differ"))).isEmpty();
        assertThat(matcher.mismatch(sample, List.of("recounting contest seed", "2 lines differ"))).isPresent();
        assertThat(SampleMatcher.expectedExit(sample)).isEqualTo(1);
        assertThat(SampleMatcher.expectedExit(List.of("650 votes sent"))).isZero();
    }

    @Test
    void shouldRejectMoreOrFewerLinesThanTheSample() {
        assertThat(matcher.mismatch(List.of("650 votes sent"), List.of("650 votes sent", "Traceback"))).isPresent();
        assertThat(matcher.mismatch(List.of("ovation up"), List.of())).isPresent();
        assertThat(matcher.mismatch(List.of(), List.of())).isEmpty();
    }

    @Test
    void shouldRetryOnlyCommandsThatRead() {
        assertThat(ConsoleDocsIT.isRead("curl -s localhost:8088/api/contests/seed/results")).isTrue();
        assertThat(ConsoleDocsIT.isRead("curl -s localhost:8088/api/contests | jq -c '.[]'")).isTrue();
        assertThat(ConsoleDocsIT.isRead("curl -s -w '  %{http_code}\\n' localhost:8080/api/votes -d '{}'")).isFalse();
        assertThat(ConsoleDocsIT.isRead("curl -s -X POST localhost:8080/api/admin/contests/finals/close")).isFalse();
        assertThat(ConsoleDocsIT.isRead("curl -s -G 127.0.0.1:9090/api/v1/query --data-urlencode 'query=up'")).isTrue();
        assertThat(ConsoleDocsIT.isRead("redis-cli --raw -p 16379 HGETALL ovation:board:seed:bands")).isTrue();
        assertThat(ConsoleDocsIT.isRead("redis-cli -p 16379 HINCRBY key field 3")).isFalse();
        assertThat(ConsoleDocsIT.isRead("./ovation recount --contest seed")).isTrue();
        assertThat(ConsoleDocsIT.isRead("./ovation recount --contest seed --repair")).isFalse();
        assertThat(ConsoleDocsIT.isRead("python3 -c 'print(1)'")).isFalse();
    }
}
