package dev.ovation.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ovation.proto.seed.getInfoGrpc;
import dev.ovation.proto.v1.StreamReceipt;
import dev.ovation.proto.v1.Vote;
import dev.ovation.proto.v1.VoteServiceGrpc;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** HTTP and gRPC clients of a running Ovation, as a test drives it. */
final class OvationClients implements AutoCloseable {

    static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String ingestUrl;
    private final String resultsUrl;
    private final ManagedChannel channel;

    OvationClients(int httpPort, int grpcPort, int resultsPort) {
        this.ingestUrl = "http://127.0.0.1:" + httpPort;
        this.resultsUrl = "http://127.0.0.1:" + resultsPort;
        this.channel = NettyChannelBuilder.forAddress("127.0.0.1", grpcPort).usePlaintext().build();
    }

    /** An HTTP answer: status and body. */
    record Answer(int status, JsonNode body) {
    }

    /** The seed's 650 votes, as shipped in the jar. */
    static List<JsonNode> seedTraffic() {
        try (InputStream in = OvationClients.class.getResourceAsStream("/samples/seed-traffic.json")) {
            List<JsonNode> votes = new ArrayList<>();
            JSON.readTree(in).forEach(votes::add);
            return votes;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    CompletableFuture<Answer> post(String path, String body) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(ingestUrl + path))
                .header("content-type", "application/json")
                .timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).thenApply(OvationClients::answer);
    }

    Answer postNow(String path, String body) {
        return post(path, body).join();
    }

    Answer getIngest(String path) {
        return get(ingestUrl + path);
    }

    Answer getResults(String path) {
        return get(resultsUrl + path);
    }

    private Answer get(String url) {
        try {
            return answer(http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static Answer answer(HttpResponse<String> response) {
        try {
            String body = response.body();
            return new Answer(response.statusCode(), body.isEmpty() ? null : JSON.readTree(body));
        } catch (IOException e) {
            throw new UncheckedIOException("not JSON: " + response.body(), e);
        }
    }

    VoteServiceGrpc.VoteServiceBlockingStub votes() {
        return VoteServiceGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS);
    }

    VoteServiceGrpc.VoteServiceFutureStub votesAsync() {
        return VoteServiceGrpc.newFutureStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS);
    }

    getInfoGrpc.getInfoFutureStub seedAsync() {
        return getInfoGrpc.newFutureStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS);
    }

    getInfoGrpc.getInfoBlockingStub seed() {
        return getInfoGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS);
    }

    /** Sends votes on one CastStream call and returns every receipt once the server completed it. */
    List<StreamReceipt> castStream(List<Vote> toSend) {
        List<StreamReceipt> receipts = Collections.synchronizedList(new ArrayList<>());
        CompletableFuture<Void> done = new CompletableFuture<>();
        StreamObserver<Vote> requests = VoteServiceGrpc.newStub(channel).withDeadlineAfter(60, TimeUnit.SECONDS)
                .castStream(new StreamObserver<>() {
                    @Override
                    public void onNext(StreamReceipt value) {
                        receipts.add(value);
                    }

                    @Override
                    public void onError(Throwable t) {
                        done.completeExceptionally(t);
                    }

                    @Override
                    public void onCompleted() {
                        done.complete(null);
                    }
                });
        toSend.forEach(requests::onNext);
        requests.onCompleted();
        done.join();
        return receipts;
    }

    @Override
    public void close() throws InterruptedException {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
}
