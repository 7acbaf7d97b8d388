package dev.ovation.loadgen;

import dev.ovation.proto.v1.Vote;

/** Planned votes as {@code ovation.v1.Vote} messages. */
final class GrpcVotes {

    private GrpcVotes() {
    }

    static Vote of(PlannedVote v) {
        return Vote.newBuilder()
                .setId(v.id())
                .setContest(v.contest())
                .setBand(v.ballot().band())
                .setAlbum(v.ballot().album())
                .setYear(v.ballot().year())
                .setRank(v.ballot().rank())
                .setVoter(v.voter())
                .build();
    }
}
