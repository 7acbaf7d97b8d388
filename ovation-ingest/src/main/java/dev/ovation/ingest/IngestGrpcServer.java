package dev.ovation.ingest;

import dev.ovation.model.Protocol;
import dev.ovation.web.ClientAddresses;
import io.grpc.BindableService;
import io.grpc.Server;
import io.grpc.ServerBuilder;
import io.grpc.ServerServiceDefinition;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.protobuf.services.ProtoReflectionService;
import io.grpc.protobuf.services.ProtoReflectionServiceV1;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The ingest's gRPC server: {@code ovation.v1.VoteService}, the seed's {@code confproto.getInfo},
 * server reflection and the standard health service. It takes its transport as a builder, so
 * tests can pass an in-process one, and sets what every transport shares: calls run on the
 * transport's own thread (the services never block), and each knows its client's address.
 */
public final class IngestGrpcServer implements AutoCloseable {

    private final Server server;
    private final HealthStatusManager health = new HealthStatusManager();
    private final List<String> serviceNames;

    /** @param clients who a call comes from ({@link ClientAddressInterceptor}), for the rate limits */
    public IngestGrpcServer(ServerBuilder<?> builder, ClientAddresses clients, List<BindableService> services) {
        // The services never block (publishing does not wait, answers are written by Kafka's
        // acknowledgement), so calls run on the transport's thread (Netty's event loop) rather than
        // hopping to an executor.
        builder.directExecutor()
                .intercept(new ClientAddressInterceptor(clients))
                .addService(ProtoReflectionServiceV1.newInstance())
                .addService(legacyReflection())
                .addService(health.getHealthService());
        services.forEach(builder::addService);
        this.server = builder.build();
        this.serviceNames = services.stream().map(s -> s.bindService().getServiceDescriptor().getName()).toList();
        serving(true);
    }

    /**
     * The vote services in front of {@code intake}: {@code ovation.v1.VoteService} and the seed's
     * {@code confproto.getInfo}, each refusing a request that is no message of its type as an
     * invalid vote ({@link UndecodableRequests}).
     */
    static List<BindableService> voteServices(VoteIntake intake) {
        ServerServiceDefinition votes = UndecodableRequests.guard(new VoteGrpcService(intake).bindService(), intake,
                Protocol.GRPC);
        ServerServiceDefinition seed = UndecodableRequests.guard(new SeedGrpcService(intake).bindService(), intake,
                Protocol.SEED_GRPC);
        return List.of(() -> votes, () -> seed);
    }

    /**
     * Sets what the health service answers for the server ({@code ""}) and for each service:
     * {@code SERVING} or {@code NOT_SERVING}.
     */
    public void serving(boolean ready) {
        ServingStatus status = ready ? ServingStatus.SERVING : ServingStatus.NOT_SERVING;
        health.setStatus(HealthStatusManager.SERVICE_NAME_ALL_SERVICES, status);
        for (String name : serviceNames) {
            health.setStatus(name, status);
        }
    }

    /** Reflection v1alpha too, for tools that know only that one (older grpcurl, Postman). */
    @SuppressWarnings("deprecation")
    private static BindableService legacyReflection() {
        return ProtoReflectionService.newInstance();
    }

    /** Starts listening. */
    public IngestGrpcServer start() throws IOException {
        server.start();
        return this;
    }

    /** The port listened on. */
    public int port() {
        return server.getPort();
    }

    /** Refuses new calls, lets running ones finish for a few seconds, then stops. */
    @Override
    public void close() throws InterruptedException {
        health.enterTerminalState();
        server.shutdown();
        if (!server.awaitTermination(5, TimeUnit.SECONDS)) {
            server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }
}
