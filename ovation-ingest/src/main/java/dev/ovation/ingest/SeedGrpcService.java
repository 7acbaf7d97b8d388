package dev.ovation.ingest;

import dev.ovation.model.InvalidVoteException;
import dev.ovation.model.Protocol;
import dev.ovation.model.Vote;
import dev.ovation.model.VoteFields;
import dev.ovation.proto.seed.getInfoGrpc;
import dev.ovation.proto.seed.replyInfo;
import dev.ovation.proto.seed.requestId;
import io.grpc.stub.StreamObserver;

/**
 * The seed's gRPC service, {@code confproto.getInfo}, kept so that its clients work unchanged:
 * each call casts one vote into the default contest.
 */
public final class SeedGrpcService extends getInfoGrpc.getInfoImplBase {

    private final VoteIntake intake;

    SeedGrpcService(VoteIntake intake) {
        this.intake = intake;
    }

    /**
     * Casts {@code name} (the band), {@code album}, {@code year}, {@code rank} into the default
     * contest. The reply's {@code info} names the vote's id. {@code INVALID_ARGUMENT} when name or
     * album is missing; {@code UNAVAILABLE} when Kafka did not store it.
     */
    @Override
    public void returnInfo(requestId request, StreamObserver<replyInfo> responses) {
        SeedAnswer answer = new SeedAnswer(responses);
        if (request.getName().isBlank()) {
            // the seed's shape names the band "name"; the validator would call it "band"
            intake.refuse(Protocol.SEED_GRPC, new InvalidVoteException("name",
                    "name (the band) is required and must not be empty"), answer);
        } else {
            intake.submit(VoteFields.ofSeed(request.getName(), request.getAlbum(), request.getYear(),
                    request.getRank()), ClientAddressInterceptor.CLIENT.get(), Protocol.SEED_GRPC, answer);
        }
    }

    /** A call's answer: the seed's reply, or the call fails with the refusal's status. */
    private record SeedAnswer(StreamObserver<replyInfo> responses) implements VoteAnswer {

        @Override
        public void accepted(Vote stored) {
            responses.onNext(replyInfo.newBuilder().setInfo("vote " + stored.id() + " for " + stored.band()
                    + " / " + stored.album() + " accepted in contest " + stored.contest()).build());
            responses.onCompleted();
        }

        @Override
        public void refused(VoteRefusal refusal) {
            responses.onError(GrpcRefusals.status(refusal).asRuntimeException());
        }
    }
}
