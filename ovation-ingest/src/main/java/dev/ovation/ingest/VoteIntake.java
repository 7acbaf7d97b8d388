package dev.ovation.ingest;

import dev.ovation.model.InvalidVoteException;
import dev.ovation.model.Protocol;
import dev.ovation.model.Vote;
import dev.ovation.model.VoteFields;
import dev.ovation.model.VoteValidator;
import dev.ovation.model.contest.Contest;
import dev.ovation.model.contest.VoteAdmission;
import dev.ovation.model.contest.VoteRefusedException;

/**
 * The one way in of a vote, whatever edge it came by (HTTP single, batch and seed; gRPC unary,
 * stream and seed): validate it, replace its voter by the voter's pseudonym ({@link VoterPseudonyms}),
 * ask its contest, take it from the voter's and the client address's rate limits, count a refusal
 * in the metrics, publish it, and hand the outcome to the edge's {@link VoteAnswer}, which only puts
 * it on its wire.
 *
 * <p>Nothing here waits: a refusal is answered at once, on the caller's thread; a published vote is
 * answered from Kafka's acknowledgement, on the producer's I/O thread ({@link VotePublisher}).
 */
final class VoteIntake {

    private final VoteValidator validator;
    private final VoteAdmission admission;
    private final VoteThrottle throttle;
    private final VoterPseudonyms voters;
    private final VotePublisher publisher;
    private final IngestMetrics metrics;

    VoteIntake(VoteValidator validator, VoteAdmission admission, VoteThrottle throttle, VoterPseudonyms voters,
               VotePublisher publisher, IngestMetrics metrics) {
        this.validator = validator;
        this.admission = admission;
        this.throttle = throttle;
        this.voters = voters;
        this.publisher = publisher;
        this.metrics = metrics;
    }

    /**
     * Takes one vote in. Refused ({@link VoteRefusal.Kind#INVALID}, or by its contest), it is counted
     * in {@code ovation_votes_refused_total} and published nowhere; accepted, it is published and
     * answered once Kafka acknowledged it (a vote Kafka did not acknowledge is counted by the
     * publisher, and answered {@link VoteRefusal.Kind#UNAVAILABLE}).
     *
     * @param client   the client's address ({@link dev.ovation.web.ClientAddresses}); null: unknown, not limited
     * @param protocol the edge, as counted in the metrics and recorded with the vote
     */
    void submit(VoteFields fields, String client, Protocol protocol, VoteAnswer answer) {
        Vote vote;
        int votesPerVoter;
        try {
            Vote checked = validator.validate(fields);
            // from here on, the voter is its pseudonym: nothing stores or shows the number itself
            vote = checked.voter().isEmpty() ? checked : checked.withVoter(voters.of(checked.voter()));
            Contest contest = admission.admit(vote);
            throttle.take(contest, vote, client);
            votesPerVoter = contest.votesPerVoter();
        } catch (InvalidVoteException e) {
            refuse(protocol, e, answer);
            return;
        } catch (VoteRefusedException e) {
            refuse(protocol, VoteRefusal.refused(e), answer);
            return;
        }
        publisher.publish(vote, protocol, votesPerVoter).whenComplete(answer);
    }

    /**
     * Refuses what an edge could not decode into a vote's fields (not JSON, not a vote's shape, a
     * field of the wrong type): counted and answered as the validator's refusals are.
     */
    void refuse(Protocol protocol, InvalidVoteException e, VoteAnswer answer) {
        refuse(protocol, VoteRefusal.invalid(e), answer);
    }

    private void refuse(Protocol protocol, VoteRefusal refusal, VoteAnswer answer) {
        metrics.refused(protocol, refusal.kind().label());
        answer.refused(refusal);
    }
}
