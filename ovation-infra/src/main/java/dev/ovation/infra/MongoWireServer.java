package dev.ovation.infra;

import de.bwaldvogel.mongo.MongoBackend;
import de.bwaldvogel.mongo.wire.MongoDatabaseHandler;
import de.bwaldvogel.mongo.wire.MongoExceptionHandler;
import de.bwaldvogel.mongo.wire.MongoWireMessageEncoder;
import de.bwaldvogel.mongo.wire.MongoWireReplyEncoder;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * The network side of the MongoDB-wire server: {@code mongo-java-server}'s handlers on a Netty server
 * of its own, so that the requests are read by {@link MessageDecoder} rather than the server's own
 * decoder (its {@code MongoServer} builds its pipeline where nothing can be swapped). The threads are
 * named as that server names them ({@code mongo-server-worker}), which bench/profile.sh goes by.
 */
final class MongoWireServer {

    private final MongoBackend backend;
    private final EventLoopGroup boss = new NioEventLoopGroup(1, new DefaultThreadFactory("mongo-server-boss"));
    private final EventLoopGroup workers = new NioEventLoopGroup(0, new DefaultThreadFactory("mongo-server-worker"));
    private final ChannelGroup clients = new DefaultChannelGroup("mongodb-clients", workers.next());
    private Channel listening;

    MongoWireServer(MongoBackend backend) {
        this.backend = backend;
    }

    /** Listens on {@code host:port}; on failure, stops what it started (not the backend) and throws. */
    void bind(String host, int port) {
        try {
            listening = new ServerBootstrap().group(boss, workers).channel(NioServerSocketChannel.class)
                    .option(ChannelOption.SO_BACKLOG, 100)
                    .childOption(ChannelOption.TCP_NODELAY, Boolean.TRUE)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel channel) {
                            channel.pipeline().addLast(new MongoWireReplyEncoder(), new MongoWireMessageEncoder(),
                                    new MessageDecoder(), new MongoDatabaseHandler(backend, clients),
                                    new MongoExceptionHandler());
                        }
                    })
                    .bind(new InetSocketAddress(host, port)).syncUninterruptibly().channel();
        } catch (RuntimeException e) {
            stopThreads();
            throw e;
        }
    }

    /** Stops listening, closes the clients' connections, stops the threads, then closes the backend. */
    void close() {
        if (listening != null) {
            listening.close().syncUninterruptibly();
        }
        clients.close().syncUninterruptibly();
        stopThreads();
        backend.close();
    }

    private void stopThreads() {
        boss.shutdownGracefully(0, 5, TimeUnit.SECONDS);
        workers.shutdownGracefully(0, 5, TimeUnit.SECONDS);
        boss.terminationFuture().syncUninterruptibly();
        workers.terminationFuture().syncUninterruptibly();
    }
}
