package dev.ovation.loadgen;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.MultiThreadIoEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.nio.NioIoHandler;
import io.grpc.netty.shaded.io.netty.channel.socket.nio.NioSocketChannel;
import io.grpc.netty.shaded.io.netty.util.concurrent.DefaultThreadFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * gRPC channels to the ingest, one HTTP/2 connection each, on a small shared Netty event loop.
 * Answers are handled right on the event loop ({@code directExecutor}): the load generator's
 * answer handling only counts and never blocks.
 */
final class GrpcTransport implements AutoCloseable {

    private final EventLoopGroup group;
    private final List<ManagedChannel> channels = new ArrayList<>();
    private final String target;
    private int next;

    GrpcTransport(String target, int connections, int threads) {
        this.target = target;
        this.group = new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory("loadgen-grpc", true),
                NioIoHandler.newFactory());
        for (int i = 0; i < connections; i++) {
            channels.add(NettyChannelBuilder.forTarget(target)
                    .usePlaintext()
                    .eventLoopGroup(group)
                    .channelType(NioSocketChannel.class)
                    .directExecutor()
                    .userAgent("ovation-loadgen")
                    .build());
        }
    }

    /** The channels, in round-robin order; called from the sending thread only. */
    ManagedChannel nextChannel() {
        ManagedChannel channel = channels.get(next);
        next = (next + 1) % channels.size();
        return channel;
    }

    List<ManagedChannel> channels() {
        return List.copyOf(channels);
    }

    String target() {
        return target;
    }

    @Override
    public void close() throws InterruptedException {
        try {
            for (ManagedChannel channel : channels) {
                channel.shutdown();
            }
            for (ManagedChannel channel : channels) {
                if (!channel.awaitTermination(5, TimeUnit.SECONDS)) {
                    channel.shutdownNow();
                }
            }
        } finally {
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS).await(5, TimeUnit.SECONDS);
        }
    }
}
