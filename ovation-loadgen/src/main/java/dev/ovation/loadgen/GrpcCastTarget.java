package dev.ovation.loadgen;

import dev.ovation.proto.seed.getInfoGrpc;
import dev.ovation.proto.seed.replyInfo;
import dev.ovation.proto.seed.requestId;
import dev.ovation.proto.v1.Receipt;
import dev.ovation.proto.v1.VoteServiceGrpc;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One unary call per vote: Ovation's {@code ovation.v1.VoteService/Cast}, or the seed's
 * {@code confproto.getInfo/returnInfo}. A vote is acknowledged when the call completes with its
 * reply; a failed call is an error named {@code grpc <status code>}.
 */
final class GrpcCastTarget implements VoteTarget {

    private final GrpcTransport grpc;
    private final boolean seedShape;
    private final long timeoutMillis;
    private final AnswerListener listener;

    /**
     * @param seedShape true for the seed's {@code confproto.getInfo}, false for {@code VoteService/Cast}
     */
    GrpcCastTarget(GrpcTransport grpc, boolean seedShape, Duration timeout, AnswerListener listener) {
        this.grpc = grpc;
        this.seedShape = seedShape;
        this.timeoutMillis = timeout.toMillis();
        this.listener = listener;
    }

    @Override
    public void send(List<Send> sends) {
        for (Send send : sends) {
            ManagedChannel channel = grpc.nextChannel();
            PlannedVote v = send.vote();
            if (seedShape) {
                getInfoGrpc.newStub(channel).withDeadlineAfter(timeoutMillis, TimeUnit.MILLISECONDS)
                        .returnInfo(requestId.newBuilder().setName(v.ballot().band()).setAlbum(v.ballot().album())
                                .setYear(v.ballot().year()).setRank(v.ballot().rank()).build(),
                                new Answer<replyInfo>(send));
            } else {
                VoteServiceGrpc.newStub(channel).withDeadlineAfter(timeoutMillis, TimeUnit.MILLISECONDS)
                        .cast(GrpcVotes.of(v), new Answer<Receipt>(send));
            }
        }
    }

    /** The answer to one call: acknowledged once the call completes after its reply. */
    private final class Answer<T> implements StreamObserver<T> {

        private final Send send;
        private boolean replied;

        Answer(Send send) {
            this.send = send;
        }

        @Override
        public void onNext(T reply) {
            replied = true;
        }

        @Override
        public void onError(Throwable t) {
            listener.failed(send, "grpc " + Status.fromThrowable(t).getCode());
        }

        @Override
        public void onCompleted() {
            if (replied) {
                listener.acknowledged(send);
            } else {
                listener.failed(send, "grpc completed without a reply");
            }
        }
    }

    @Override
    public String describe() {
        return (seedShape ? "confproto.getInfo/returnInfo" : "ovation.v1.VoteService/Cast") + " at " + grpc.target()
                + ", one vote per call";
    }

    @Override
    public void close() {
        // the GrpcTransport is shared and closed by its owner
    }
}
