package dev.ovation.ingest;

import com.google.protobuf.Message;
import dev.ovation.model.InvalidVoteException;
import dev.ovation.model.Protocol;
import dev.ovation.model.Vote;
import io.grpc.ForwardingServerCallListener.SimpleForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.MethodDescriptor.PrototypeMarshaller;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.ServerMethodDefinition;
import io.grpc.ServerServiceDefinition;
import io.grpc.ServiceDescriptor;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Requests whose bytes are no message of their type (a length past the end, a string that is not
 * UTF-8) get the refusal of an invalid vote, naming the message and what is wrong with its bytes.
 * grpc-java parses a request before any service sees it and fails such a call with {@code UNKNOWN
 * "Application error processing RPC"}, which tells a client nothing it can act on.
 *
 * <p>Here each request's marshaller hands on a mark instead of failing, with what went wrong kept
 * for the thread (grpc-java parses a request and gives it to the call's listener at once, on the
 * same thread). A unary call's mark is answered here, through {@link VoteIntake#refuse} (counted
 * as the edge's other refusals): {@code INVALID_ARGUMENT} naming the field {@code body}. A
 * streaming call's mark reaches the service, which asks {@link #problem} and answers it in the
 * stream as any bad vote (the stream goes on).
 */
final class UndecodableRequests {

    private static final ThreadLocal<String> PROBLEM = new ThreadLocal<>();
    /** The mark of each request type: compared by identity, so no request read from a client is one. */
    private static final Map<Class<?>, Message> MARKS = new ConcurrentHashMap<>();

    private UndecodableRequests() {
    }

    /**
     * {@code service} with every protobuf request parsed as said above.
     *
     * @param unary the edge a unary call's refusal is counted under
     */
    static ServerServiceDefinition guard(ServerServiceDefinition service, VoteIntake intake, Protocol unary) {
        ServiceDescriptor original = service.getServiceDescriptor();
        ServiceDescriptor.Builder descriptor = ServiceDescriptor.newBuilder(original.getName())
                .setSchemaDescriptor(original.getSchemaDescriptor());
        List<ServerMethodDefinition<?, ?>> methods = new ArrayList<>();
        for (ServerMethodDefinition<?, ?> method : service.getMethods()) {
            ServerMethodDefinition<?, ?> lenient = lenient(method);
            descriptor.addMethod(lenient.getMethodDescriptor());
            methods.add(lenient);
        }
        ServerServiceDefinition.Builder guarded = ServerServiceDefinition.builder(descriptor.build());
        methods.forEach(guarded::addMethod);
        return ServerInterceptors.intercept(guarded.build(), new UnaryRefusal(intake, unary));
    }

    /**
     * What was wrong with the bytes of {@code request} when it is the mark of a request that could not be
     * read (taken: asked again, it is null); null for a request read as sent.
     */
    static String problem(Object request) {
        String problem = PROBLEM.get();
        if (problem == null || !(request instanceof Message message) || !Lenient.isMark(message)) {
            return null;
        }
        PROBLEM.remove();
        return problem;
    }

    private static <Q, A> ServerMethodDefinition<Q, A> lenient(ServerMethodDefinition<Q, A> method) {
        MethodDescriptor<Q, A> descriptor = method.getMethodDescriptor();
        if (!(descriptor.getRequestMarshaller() instanceof PrototypeMarshaller<Q> proto)
                || !(proto.getMessagePrototype() instanceof Message)) {
            return method;
        }
        return ServerMethodDefinition.create(
                descriptor.toBuilder(new Lenient<>(proto), descriptor.getResponseMarshaller()).build(),
                method.getServerCallHandler());
    }

    /** A protobuf marshaller that reads what it can and marks what it cannot. */
    private static final class Lenient<T> implements PrototypeMarshaller<T> {

        private final PrototypeMarshaller<T> parser;
        private final T mark;
        private final String type;

        @SuppressWarnings("unchecked") // the mark is a message of the prototype's own type
        Lenient(PrototypeMarshaller<T> parser) {
            this.parser = parser;
            Message prototype = (Message) parser.getMessagePrototype();
            // one mark per type: a new empty message, never the one a parse returns
            this.mark = (T) MARKS.computeIfAbsent(prototype.getClass(), type -> {
                Message mark = prototype.newBuilderForType().build();
                if (mark == prototype) {
                    throw new IllegalStateException("no message of " + type + " but its default instance");
                }
                return mark;
            });
            this.type = prototype.getDescriptorForType().getFullName();
        }

        static boolean isMark(Message message) {
            return MARKS.get(message.getClass()) == message;
        }

        @Override
        public T parse(InputStream stream) {
            try {
                return parser.parse(stream);
            } catch (RuntimeException e) {
                Throwable cause = e.getCause() == null ? e : e.getCause();
                String reason = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
                PROBLEM.set("the request is not a valid " + type + " message: " + reason);
                return mark;
            }
        }

        @Override
        public InputStream stream(T value) {
            return parser.stream(value);
        }

        @Override
        public T getMessagePrototype() {
            return parser.getMessagePrototype();
        }

        @Override
        public Class<T> getMessageClass() {
            return parser.getMessageClass();
        }
    }

    /** Answers a unary call whose request is a mark, before the service would see it. */
    private record UnaryRefusal(VoteIntake intake, Protocol protocol) implements ServerInterceptor {

        @Override
        public <Q, A> ServerCall.Listener<Q> interceptCall(ServerCall<Q, A> call, Metadata headers,
                                                          ServerCallHandler<Q, A> next) {
            ServerCall.Listener<Q> listener = next.startCall(call, headers);
            if (!call.getMethodDescriptor().getType().clientSendsOneMessage()) {
                return listener;
            }
            return new SimpleForwardingServerCallListener<>(listener) {
                private boolean refused;

                @Override
                public void onMessage(Q request) {
                    String problem = problem(request);
                    if (refused) {
                        // a second message of a call already answered (a client may send several in one
                        // frame, all read before the close takes effect): nothing more to say or count
                        return;
                    }
                    if (problem == null) {
                        super.onMessage(request);
                        return;
                    }
                    refused = true;
                    intake.refuse(protocol, new InvalidVoteException("body", problem), new VoteAnswer() {
                        @Override
                        public void accepted(Vote receipt) {
                            throw new IllegalStateException("a request that could not be read was accepted");
                        }

                        @Override
                        public void refused(VoteRefusal refusal) {
                            call.close(GrpcRefusals.status(refusal), new Metadata());
                        }
                    });
                }

                @Override
                public void onHalfClose() {
                    if (!refused) {
                        super.onHalfClose();
                    }
                }
            };
        }
    }
}
