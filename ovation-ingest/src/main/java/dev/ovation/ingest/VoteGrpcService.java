package dev.ovation.ingest;

import dev.ovation.model.InvalidVoteException;
import dev.ovation.model.Protocol;
import dev.ovation.model.VoteFields;
import dev.ovation.proto.v1.Receipt;
import dev.ovation.proto.v1.StreamReceipt;
import dev.ovation.proto.v1.Vote;
import dev.ovation.proto.v1.VoteServiceGrpc;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;

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

    private final VoteIntake intake;

    VoteGrpcService(VoteIntake intake) {
        this.intake = intake;
    }

    /**
     * Casts one vote. {@code INVALID_ARGUMENT} names the bad field (or a band or album outside the
     * contest's catalog); {@code NOT_FOUND} an unknown contest; {@code FAILED_PRECONDITION} a
     * closed one; {@code RESOURCE_EXHAUSTED} a voter or address over the contest's rate limit;
     * {@code UNAVAILABLE} means Kafka did not acknowledge it in time and the client retries with the
     * same id.
     */
    @Override
    public void cast(Vote request, StreamObserver<Receipt> responses) {
        intake.submit(fields(request), ClientAddressInterceptor.CLIENT.get(), Protocol.GRPC, new CastAnswer(responses));
    }

    /** A {@code Cast} call's answer: its receipt, or the call fails with the refusal's status. */
    private record CastAnswer(StreamObserver<Receipt> responses) implements VoteAnswer {

        @Override
        public void accepted(dev.ovation.model.Vote stored) { // qualified: the imported Vote is the proto message
            responses.onNext(Receipt.newBuilder().setId(stored.id()).setContest(stored.contest()).build());
            responses.onCompleted();
        }

        @Override
        public void refused(VoteRefusal refusal) {
            responses.onError(GrpcRefusals.status(refusal).asRuntimeException());
        }
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
            String undecodable = UndecodableRequests.problem(request);
            if (undecodable != null) {
                intake.refuse(Protocol.GRPC_STREAM, new InvalidVoteException("body", undecodable), new StreamAnswer(index));
                return;
            }
            intake.submit(fields(request), ClientAddressInterceptor.CLIENT.get(), Protocol.GRPC_STREAM,
                    new StreamAnswer(index));
        }

        /** One vote's receipt in the stream: its receipt or its error, under its index. */
        private final class StreamAnswer implements VoteAnswer {

            private final long index;

            StreamAnswer(long index) {
                this.index = index;
            }

            @Override
            public void accepted(dev.ovation.model.Vote stored) { // qualified: the imported Vote is the proto message
                answer(StreamReceipt.newBuilder().setIndex(index)
                        .setReceipt(Receipt.newBuilder().setId(stored.id()).setContest(stored.contest())).build());
            }

            @Override
            public void refused(VoteRefusal refusal) {
                answer(StreamReceipt.newBuilder().setIndex(index).setErrorCode(GrpcRefusals.code(refusal.kind()).name())
                        .setErrorMessage(GrpcRefusals.description(refusal)).build());
            }
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
}
