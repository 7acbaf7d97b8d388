package dev.ovation.loadgen;

import dev.ovation.proto.v1.StreamReceipt;
import dev.ovation.proto.v1.Vote;
import dev.ovation.proto.v1.VoteServiceGrpc;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Votes on long-lived {@code ovation.v1.VoteService/CastStream} calls, one per connection, taken in
 * turn. Each receipt names the index of its vote in the stream; a receipt with an error code is an
 * error named {@code grpc-stream <code>}. A stream that breaks fails its unanswered votes and is
 * opened again for the next vote.
 */
final class GrpcStreamTarget implements VoteTarget {

    private final GrpcTransport grpc;
    private final AnswerListener listener;
    private final Duration closeTimeout;
    private final List<Stream> streams = new ArrayList<>();
    private int next;

    GrpcStreamTarget(GrpcTransport grpc, Duration closeTimeout, AnswerListener listener) {
        this.grpc = grpc;
        this.listener = listener;
        this.closeTimeout = closeTimeout;
        for (ManagedChannel channel : grpc.channels()) {
            streams.add(new Stream(channel));
        }
    }

    @Override
    public void send(List<Send> sends) {
        for (Send send : sends) {
            Stream stream = streams.get(next);
            next = (next + 1) % streams.size();
            stream.send(send);
        }
    }

    /** One CastStream call after another on one channel: a new call when the previous one broke. */
    private final class Stream {

        private final ManagedChannel channel;
        private Call call;

        Stream(ManagedChannel channel) {
            this.channel = channel;
        }

        void send(Send send) {
            if (call == null || !call.offer(send)) {
                call = new Call(channel);
                if (!call.offer(send)) {
                    listener.failed(send, "grpc-stream could not start");
                }
            }
        }

        void finish() {
            if (call != null) {
                call.finish();
            }
        }

        void awaitFinished(long deadlineNanos) throws InterruptedException {
            if (call != null) {
                call.awaitFinished(deadlineNanos);
            }
        }
    }

    /** One CastStream call: votes out in order, receipts back by index. */
    private final class Call implements StreamObserver<StreamReceipt> {

        private final Map<Long, Send> unanswered = new ConcurrentHashMap<>();
        private final CompletableFuture<Void> finished = new CompletableFuture<>();
        private final StreamObserver<Vote> requests;
        private long nextIndex;
        private boolean broken;
        private boolean halfClosed;

        Call(ManagedChannel channel) {
            this.requests = VoteServiceGrpc.newStub(channel).castStream(this);
        }

        /** Sends a vote, or answers false when the call broke (its unanswered votes were failed). */
        synchronized boolean offer(Send send) {
            if (broken || halfClosed) {
                return false;
            }
            unanswered.put(nextIndex++, send);
            requests.onNext(GrpcVotes.of(send.vote()));
            return true;
        }

        @Override
        public void onNext(StreamReceipt receipt) {
            Send send = unanswered.remove(receipt.getIndex());
            if (send == null) {
                return;
            }
            if (receipt.hasReceipt()) {
                listener.acknowledged(send);
            } else {
                listener.failed(send, "grpc-stream " + receipt.getErrorCode());
            }
        }

        @Override
        public void onError(Throwable t) {
            failUnanswered("grpc-stream " + Status.fromThrowable(t).getCode());
            finished.complete(null);
        }

        @Override
        public void onCompleted() {
            failUnanswered("grpc-stream ended before answering");
            finished.complete(null);
        }

        private synchronized void failUnanswered(String kind) {
            broken = true;
            for (Long index : List.copyOf(unanswered.keySet())) {
                Send send = unanswered.remove(index);
                if (send != null) {
                    listener.failed(send, kind);
                }
            }
        }

        synchronized void finish() {
            if (!broken && !halfClosed) {
                halfClosed = true;
                requests.onCompleted();
            }
        }

        void awaitFinished(long deadlineNanos) throws InterruptedException {
            try {
                finished.get(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (ExecutionException e) {
                throw new IllegalStateException("a CastStream call failed while closing", e.getCause());
            } catch (TimeoutException e) {
                failUnanswered("grpc-stream not closed by the server");
            }
        }
    }

    @Override
    public String describe() {
        return "ovation.v1.VoteService/CastStream at " + grpc.target() + ", " + streams.size()
                + " long-lived stream(s)";
    }

    /** Half-closes every stream and waits for the server to complete them. */
    @Override
    public void close() throws InterruptedException {
        long deadline = System.nanoTime() + closeTimeout.toNanos();
        for (Stream s : streams) {
            s.finish();
        }
        for (Stream s : streams) {
            s.awaitFinished(deadline);
        }
    }
}
