package dev.ovation.results;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.ovation.model.VoteEnvelope;
import dev.ovation.store.CountOutcome;
import java.time.Instant;

/**
 * The answer to "was my vote counted?": what counting decided for a vote id, from the seen ids
 * the counters keep, and the vote itself as the topic holds it.
 *
 * <pre>{@code
 * {"contest":"default","id":"930cd88a-...","status":"counted","partition":2,"offset":41,
 *  "vote":{"band":"Pink Floyd","album":"Wish You Were Here","year":"","rank":"","protocol":"http",
 *          "receivedAt":"2026-12-04T20:00:00.120Z"},
 *  "message":"Your vote for Pink Floyd, Wish You Were Here, was counted, once. ..."}
 * }</pre>
 *
 * @param status    {@code counted}, {@code rejected} (over the voter's limit) or {@code not_seen}
 * @param reason    why a rejected vote was not counted ({@code voter_limit}); absent otherwise
 * @param partition the topic partition of the record that decided it, when found
 * @param offset    its offset there; absent when not seen
 * @param vote      the vote as received, when the topic still holds it
 * @param message   the answer in a sentence, for a person
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record VoteCheck(String contest, String id, String status, String reason, Integer partition, Long offset,
                        Vote vote, String message) {

    static final String COUNTED = "counted";
    static final String REJECTED = "rejected";
    static final String NOT_SEEN = "not_seen";

    /** The vote as the ingest received it; the voter is left out. */
    public record Vote(String band, String album, String year, String rank, String protocol, Instant receivedAt) {

        static Vote of(VoteEnvelope envelope) {
            var v = envelope.vote();
            return new Vote(v.band(), v.album(), v.year(), v.rank(), envelope.protocol(),
                    Instant.ofEpochMilli(envelope.receivedAtMillis()));
        }
    }

    static VoteCheck notSeen(String contest, String id) {
        return new VoteCheck(contest, id, NOT_SEEN, null, null, null, null, "No vote with id '" + id
                + "' has been counted in contest '" + contest + "'. A vote acknowledged a moment ago is counted "
                + "within about a second: try again shortly. The counters remember ids for a day after the "
                + "contest's last vote (OVATION_DEDUP_RETENTION_HOURS); a vote whose receipt you never got was "
                + "not taken.");
    }

    static VoteCheck decided(String contest, String id, boolean counted, Integer partition, long offset,
                             VoteEnvelope envelope, int votesPerVoter) {
        String what = envelope == null ? "Vote '" + id + "'"
                : "Your vote for " + envelope.vote().band() + ", " + envelope.vote().album() + ",";
        String message = counted
                ? what + " was counted, once. Sending it again with the same id changes nothing: the copies are "
                        + "absorbed as duplicates."
                : what + " was not counted: its voter had already cast the " + (votesPerVoter > 0 ? votesPerVoter + " " : "")
                        + "votes a voter may cast in this contest.";
        return new VoteCheck(contest, id, counted ? COUNTED : REJECTED,
                counted ? null : CountOutcome.VOTER_LIMIT, partition, offset,
                envelope == null ? null : Vote.of(envelope), message);
    }
}
