package dev.ovation.counter;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.ovation.model.InvalidVoteException;
import dev.ovation.model.Vote;
import dev.ovation.model.VoteEnvelope;
import dev.ovation.model.VoteFields;
import dev.ovation.model.VoteValidator;
import dev.ovation.store.DeadLetter;
import dev.ovation.store.VotesTopicContract;

/**
 * Whether a record of the votes topic is a vote to count: it must decode as a vote envelope and
 * its vote must pass the rules every edge checks, in its checked form. The one place the counter
 * and the recount decide it, so that they skip the same records.
 *
 * @param envelope the vote to count, or null
 * @param reason   why not ({@link DeadLetter#UNDECODABLE} or {@link DeadLetter#INVALID_VOTE}), or null
 * @param detail   what is wrong, for a person
 * @param contest  the contest of a vote that breaks the rules, when it names one
 */
record RecordCheck(VoteEnvelope envelope, String reason, String detail, String contest) {

    private static final VoteValidator VALIDATOR = new VoteValidator(() -> {
        throw new IllegalStateException("a vote in the topic always has an id");
    });

    static RecordCheck of(byte[] value) {
        VoteEnvelope envelope;
        try {
            envelope = VotesTopicContract.decode(value);
        } catch (InvalidProtocolBufferException | RuntimeException e) {
            return new RecordCheck(null, DeadLetter.UNDECODABLE, "not a vote envelope: " + e.getMessage(), null);
        }
        Vote vote = envelope.vote();
        try {
            Vote checked = VALIDATOR.validate(new VoteFields(vote.id(), vote.contest(), vote.band(), vote.album(),
                    vote.year(), vote.rank(), vote.voter()));
            if (!checked.equals(vote)) {
                return invalid(vote, "vote: the vote is not in its checked form (untrimmed or defaulted fields)");
            }
        } catch (InvalidVoteException e) {
            return invalid(vote, e.field() + ": " + e.getMessage());
        } catch (RuntimeException e) {
            return invalid(vote, "vote: " + e.getMessage());
        }
        return new RecordCheck(envelope, null, null, vote.contest());
    }

    private static RecordCheck invalid(Vote vote, String detail) {
        return new RecordCheck(null, DeadLetter.INVALID_VOTE, detail, vote.contest().isEmpty() ? null : vote.contest());
    }

    boolean countable() {
        return envelope != null;
    }
}
