package dev.ovation.ingest;

import dev.ovation.web.ClientAddresses;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;

/**
 * Puts the address a gRPC call comes from ({@link ClientAddresses}: the peer, or the
 * {@code x-forwarded-for} of a trusted proxy) in the call's {@link Context}, where the vote
 * services read it for the rate limits.
 */
final class ClientAddressInterceptor implements ServerInterceptor {

    static final Context.Key<String> CLIENT = Context.key("ovation-client-address");
    private static final Metadata.Key<String> FORWARDED_FOR =
            Metadata.Key.of("x-forwarded-for", Metadata.ASCII_STRING_MARSHALLER);

    private final ClientAddresses clients;

    ClientAddressInterceptor(ClientAddresses clients) {
        this.clients = clients;
    }

    @Override
    public <Q, A> ServerCall.Listener<Q> interceptCall(ServerCall<Q, A> call, Metadata headers,
                                                      ServerCallHandler<Q, A> next) {
        String client = clients.of(call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR),
                headers.get(FORWARDED_FOR));
        return Contexts.interceptCall(Context.current().withValue(CLIENT, client), call, headers, next);
    }
}
