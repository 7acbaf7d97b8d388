package dev.ovation.model;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.ovation.proto.v1.VoteEvent;

/**
 * A vote as queued in Kafka: the vote, the protocol it came by, when ingest received it and the
 * contest's limit of votes per voter at that time (0: none). Encoded as the protobuf message
 * {@code ovation.v1.VoteEvent}.
 */
public record VoteEnvelope(Vote vote, String protocol, long receivedAtMillis, int votesPerVoter) {

    /** The record value written to the topic. */
    public byte[] encode() {
        return VoteEvent.newBuilder()
                .setId(vote.id())
                .setContest(vote.contest())
                .setBand(vote.band())
                .setAlbum(vote.album())
                .setYear(vote.year())
                .setRank(vote.rank())
                .setVoter(vote.voter())
                .setProtocol(protocol)
                .setReceivedAtMs(receivedAtMillis)
                .setVotesPerVoter(votesPerVoter)
                .build()
                .toByteArray();
    }

    /**
     * Reads a record value.
     *
     * @throws InvalidProtocolBufferException when the bytes are not a {@code VoteEvent}, or one
     *                                        without an id, contest, band or album
     */
    public static VoteEnvelope decode(byte[] bytes) throws InvalidProtocolBufferException {
        VoteEvent e = VoteEvent.parseFrom(bytes);
        if (e.getId().isEmpty() || e.getContest().isEmpty() || e.getBand().isEmpty() || e.getAlbum().isEmpty()) {
            throw new InvalidProtocolBufferException("vote event lacks id, contest, band or album");
        }
        Vote vote = new Vote(e.getId(), e.getContest(), e.getBand(), e.getAlbum(), e.getYear(), e.getRank(),
                e.getVoter());
        return new VoteEnvelope(vote, e.getProtocol(), e.getReceivedAtMs(), e.getVotesPerVoter());
    }
}
