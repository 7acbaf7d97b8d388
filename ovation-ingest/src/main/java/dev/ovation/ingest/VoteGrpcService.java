package dev.ovation.ingest;

import dev.ovation.model.InvalidVoteException;
import dev.ovation.model.Protocol;
import dev.ovation.model.VoteFields;
import dev.ovation.model.contest.VoteRefusedException;
import dev.ovation.proto.v1.Receipt;
import dev.ovation.proto.v1.StreamReceipt;
import dev.ovation.proto.v1.Vote;
import dev.ovation.proto.v1.VoteServiceGrpc;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.CompletionException;

/**
 * {@code ovation.v1.VoteService}: casts votes over gRPC, answering once Kafka acknowledged each.
 * No method blocks: they run on the transport's event loop, and answers are sent from Kafka's
 * acknowledgements.
 */
public final class VoteGrpcService extends VoteServiceGrpc.VoteServiceImplBase {

    /** How many votes of one stream may wait for Kafka at once; the client is paused beyond. */
    static final int STREAM_WINDOW = 512;
    /**
     * Answered votes are given back to the stream's window this many at a time: each request for
     * more messages is a task on the transport's thread, too dear to pay per vote.
     */
    static final int WINDOW_RELEASE = 32;

    private final VotePublisher publisher;
    private final VoteIntake intake;
    private final IngestMetrics metrics;

    VoteGrpcService(VotePublisher publisher, VoteIntake intake, IngestMetrics metrics) {
        this.publisher = publisher;
        this.metrics = metrics;
        this.intake = intake;
    }

    /**
     * Casts one vote. {@code INVALID_ARGUMENT} names the bad field (or a band or album outside the
     * contest's catalog); {@code NOT_FOUND} an unknown contest; {@code FAILED_PRECONDITION} a
     * closed one; {@code UNAVAILABLE} means Kafka did not acknowledge it in time and the client
     * retries with the same id.
     */
    @Override
    public void cast(Vote request, StreamObserver<Receipt> responses) {
        VoteIntake.Admitted admitted;
        try {
            admitted = intake.accept(fields(request), ClientAddressInterceptor.CLIENT.get());
        } catch (InvalidVoteException e) {
            metrics.refused(Protocol.GRPC, IngestMetrics.INVALID);
            responses.onError(Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asRuntimeException());
            return;
        } catch (VoteRefusedException e) {
            metrics.refused(Protocol.GRPC, e);
            responses.onError(GrpcRefusals.status(e).asRuntimeException());
            return;
        }
        dev.ovation.model.Vote vote = admitted.vote(); // qualified: the imported Vote is the proto message
        publisher.publish(vote, Protocol.GRPC, admitted.votesPerVoter()).whenComplete((stored, error) -> {
            if (error == null) {
                responses.onNext(Receipt.newBuilder().setId(stored.id()).setContest(stored.contest()).build());
                responses.onCompleted();
            } else {
                responses.onError(Status.UNAVAILABLE.withDescription("vote " + vote.id() + ": " + rootMessage(error))
                        .asRuntimeException());
            }
        });
    }

    /**
     * Casts a stream of votes. Each vote gets a {@link StreamReceipt} carrying its index in the
     * stream, in the order Kafka acknowledges them; a bad vote gets an error receipt and the
     * stream goes on. At most {@value #STREAM_WINDOW} votes wait for Kafka at once (gRPC flow
     * control pauses the client beyond that).
     */
    @Override
    public StreamObserver<Vote> castStream(StreamObserver<StreamReceipt> responses) {
        ServerCallStreamObserver<StreamReceipt> call = (ServerCallStreamObserver<StreamReceipt>) responses;
        call.disableAutoRequest();
        call.request(STREAM_WINDOW);
        return new CastStream(call);
    }

    /**
     * The votes of one {@code CastStream} call; receipts are written one at a time (from Kafka's
     * acknowledgements, which only queue them on the transport).
     */
    private final class CastStream implements StreamObserver<Vote> {

        private final ServerCallStreamObserver<StreamReceipt> call;
        private long nextIndex;
        private long pending;
        private int answeredNotReleased;
        private boolean clientDone;
        private boolean finished;

        CastStream(ServerCallStreamObserver<StreamReceipt> call) {
            this.call = call;
        }

        @Override
        public void onNext(Vote request) {
            long index;
            synchronized (this) {
                index = nextIndex++;
                pending++;
            }
            VoteIntake.Admitted admitted;
            try {
                admitted = intake.accept(fields(request), ClientAddressInterceptor.CLIENT.get());
            } catch (InvalidVoteException e) {
                metrics.refused(Protocol.GRPC_STREAM, IngestMetrics.INVALID);
                answer(StreamReceipt.newBuilder().setIndex(index)
                        .setErrorCode(Status.Code.INVALID_ARGUMENT.name()).setErrorMessage(e.getMessage()).build());
                return;
            } catch (VoteRefusedException e) {
                metrics.refused(Protocol.GRPC_STREAM, e);
                Status status = GrpcRefusals.status(e);
                answer(StreamReceipt.newBuilder().setIndex(index)
                        .setErrorCode(status.getCode().name()).setErrorMessage(e.getMessage()).build());
                return;
            }
            dev.ovation.model.Vote vote = admitted.vote(); // qualified: the imported Vote is the proto message
            publisher.publish(vote, Protocol.GRPC_STREAM, admitted.votesPerVoter())
                    .whenComplete((stored, error) -> answer(error == null
                    ? StreamReceipt.newBuilder().setIndex(index)
                        .setReceipt(Receipt.newBuilder().setId(stored.id()).setContest(stored.contest())).build()
                    : StreamReceipt.newBuilder().setIndex(index)
                        .setErrorCode(Status.Code.UNAVAILABLE.name())
                        .setErrorMessage("vote " + vote.id() + ": " + rootMessage(error)).build()));
        }

        private synchronized void answer(StreamReceipt receipt) {
            pending--;
            if (finished) {
                return;
            }
            if (!call.isCancelled()) {
                call.onNext(receipt);
                // At least STREAM_WINDOW - WINDOW_RELEASE votes stay requested, so the stream never stalls.
                if (++answeredNotReleased == WINDOW_RELEASE) {
                    call.request(answeredNotReleased);
                    answeredNotReleased = 0;
                }
            }
            finishIfDone();
        }

        @Override
        public synchronized void onError(Throwable t) {
            finished = true;
        }

        @Override
        public synchronized void onCompleted() {
            clientDone = true;
            finishIfDone();
        }

        private void finishIfDone() {
            if (clientDone && pending == 0 && !finished) {
                finished = true;
                if (!call.isCancelled()) {
                    call.onCompleted();
                }
            }
        }
    }

    static VoteFields fields(Vote v) {
        return new VoteFields(v.getId(), v.getContest(), v.getBand(), v.getAlbum(), v.getYear(), v.getRank(),
                v.getVoter());
    }

    static String rootMessage(Throwable error) {
        Throwable t = error;
        while (t instanceof CompletionException && t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage();
    }
}
