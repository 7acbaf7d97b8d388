package dev.ovation.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The hand-written id checks agree with the regular expressions that specify them, on any string. */
class IdCheckTest {

    private static final Pattern VOTE_ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");
    private static final Pattern CONTEST_ID = Pattern.compile("[a-z0-9][a-z0-9_-]{0,63}");
    /** Every character either rule treats apart, and some neither knows. */
    private static final String ALPHABET = "azAZ09._:-/ é\u0000\uD83C{}";

    @Test
    void shouldAgreeWithTheRegularExpressionsOnRandomStrings() {
        Random random = new Random(20261206);
        for (int i = 0; i < 200_000; i++) {
            int length = random.nextInt(4) == 0 ? 120 + random.nextInt(20) : random.nextInt(70);
            StringBuilder text = new StringBuilder();
            for (int j = 0; j < length; j++) {
                text.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
            }
            String s = text.toString();
            assertThat(VoteValidator.isVoteId(s)).as("vote id %s", s).isEqualTo(VOTE_ID.matcher(s).matches());
            assertThat(VoteValidator.isContestId(s)).as("contest id %s", s).isEqualTo(CONTEST_ID.matcher(s).matches());
        }
    }

    @Test
    void shouldAgreeAtTheEdges() {
        for (String s : new String[] {"", "a", "-", "_a", "a-", "a_b-c", "A", "default", "x".repeat(64), "x".repeat(65),
                "y".repeat(128), "y".repeat(129), "ovation-warmup", "v1:abc", "a.b", "9"}) {
            assertThat(VoteValidator.isVoteId(s)).as("vote id %s", s).isEqualTo(VOTE_ID.matcher(s).matches());
            assertThat(VoteValidator.isContestId(s)).as("contest id %s", s).isEqualTo(CONTEST_ID.matcher(s).matches());
        }
    }
}
