package dev.ovation.ingest;

import dev.ovation.model.InvalidVoteException;
import dev.ovation.model.Protocol;
import dev.ovation.model.Vote;
import dev.ovation.model.VoteFields;
import dev.ovation.model.contest.VoteRefusedException;
import dev.ovation.proto.seed.getInfoGrpc;
import dev.ovation.proto.seed.replyInfo;
import dev.ovation.proto.seed.requestId;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;

/**
 * The seed's gRPC service, {@code confproto.getInfo}, kept so that its clients work unchanged:
 * each call casts one vote into the default contest.
 */
public final class SeedGrpcService extends getInfoGrpc.getInfoImplBase {

    private final VotePublisher publisher;
    private final VoteIntake intake;
    private final IngestMetrics metrics;

    SeedGrpcService(VotePublisher publisher, VoteIntake intake, IngestMetrics metrics) {
        this.publisher = publisher;
        this.metrics = metrics;
        this.intake = intake;
    }

    /**
     * Casts {@code name} (the band), {@code album}, {@code year}, {@code rank} into the default
     * contest. The reply's {@code info} names the vote's id. {@code INVALID_ARGUMENT} when name or
     * album is missing; {@code UNAVAILABLE} when Kafka did not store it.
     */
    @Override
    public void returnInfo(requestId request, StreamObserver<replyInfo> responses) {
        VoteIntake.Admitted admitted;
        try {
            if (request.getName().isBlank()) {
                throw new InvalidVoteException("name", "name (the band) is required and must not be empty");
            }
            admitted = intake.accept(VoteFields.ofSeed(request.getName(), request.getAlbum(), request.getYear(),
                    request.getRank()), ClientAddressInterceptor.CLIENT.get());
        } catch (InvalidVoteException e) {
            metrics.refused(Protocol.SEED_GRPC, IngestMetrics.INVALID);
            responses.onError(Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asRuntimeException());
            return;
        } catch (VoteRefusedException e) {
            metrics.refused(Protocol.SEED_GRPC, e);
            responses.onError(GrpcRefusals.status(e).asRuntimeException());
            return;
        }
        Vote vote = admitted.vote();
        publisher.publish(vote, Protocol.SEED_GRPC, admitted.votesPerVoter()).whenComplete((stored, error) -> {
            if (error == null) {
                responses.onNext(replyInfo.newBuilder().setInfo("vote " + stored.id() + " for " + stored.band()
                        + " / " + stored.album() + " accepted in contest " + stored.contest()).build());
                responses.onCompleted();
            } else {
                responses.onError(Status.UNAVAILABLE.withDescription("vote " + vote.id() + ": "
                        + VoteGrpcService.rootMessage(error))
                        .asRuntimeException());
            }
        });
    }
}
