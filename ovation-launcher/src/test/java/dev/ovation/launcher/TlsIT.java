package dev.ovation.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ovation.infra.InfraSettings;
import dev.ovation.ingest.IngestConfig;
import dev.ovation.ingest.IngestService;
import dev.ovation.model.ConfigException;
import dev.ovation.model.Env;
import dev.ovation.proto.v1.Receipt;
import dev.ovation.proto.v1.Vote;
import dev.ovation.proto.v1.VoteServiceGrpc;
import dev.ovation.web.Metrics;
import dev.ovation.web.Tls;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * With OVATION_TLS_CERT and OVATION_TLS_KEY (PEM, here a certificate made for the test by
 * openssl), the ingest's HTTP and gRPC and the results API speak only TLS; an admin token without
 * TLS stops the ingest at start unless plain text is allowed.
 */
class TlsIT {

    @TempDir
    static Path dir;

    private static Path cert;
    private static Standalone ovation;

    @BeforeAll
    static void startOvationWithTls() throws Exception {
        cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        Process openssl = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes",
                "-keyout", key.toString(), "-out", cert.toString(), "-days", "1", "-subj", "/CN=localhost",
                "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1").redirectErrorStream(true).start();
        String output = new String(openssl.getInputStream().readAllBytes());
        assertThat(openssl.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(openssl.exitValue()).as(output).isZero();
        ovation = Standalone.start(new Env(Map.of("OVATION_TLS_CERT", cert.toString(), "OVATION_TLS_KEY", key.toString(),
                "OVATION_ADMIN_TOKEN", "t0ken", "OVATION_WARMUP_SECONDS", "0")), InfraSettings.onFreePorts(dir.resolve("data")), "127.0.0.1", 0, 0, 0, 0);
    }

    @AfterAll
    static void stopOvation() throws Exception {
        if (ovation != null) {
            ovation.close();
        }
    }

    @Test
    void shouldTakeVotesAndServeResultsOnlyOverTls() throws Exception {
        HttpClient https = HttpClient.newBuilder().sslContext(trusting(cert)).build();

        HttpResponse<String> vote = https.send(HttpRequest.newBuilder(URI.create("https://localhost:" + ovation.httpPort()
                        + "/api/votes")).header("Content-Type", "application/json").timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString("{\"band\":\"Queen\",\"album\":\"Jazz\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(vote.statusCode()).isEqualTo(202);
        HttpResponse<String> contests = https.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:"
                + ovation.resultsPort() + "/api/contests")).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(contests.statusCode()).isEqualTo(200);

        // plain HTTP gets no answer from a TLS port
        assertThatThrownBy(() -> HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                        + ovation.httpPort() + "/api/votes")).timeout(Duration.ofSeconds(30)).header("Content-Type",
                        "application/json").POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
                HttpResponse.BodyHandlers.ofString())).isInstanceOf(IOException.class);
    }

    @Test
    void shouldTakeGrpcVotesOnlyOverTls() throws Exception {
        ManagedChannel secure = NettyChannelBuilder.forAddress("localhost", ovation.grpcPort())
                .sslContext(GrpcSslContexts.forClient().trustManager(cert.toFile()).build()).build();
        ManagedChannel plain = NettyChannelBuilder.forAddress("localhost", ovation.grpcPort()).usePlaintext().build();
        try {
            Receipt receipt = VoteServiceGrpc.newBlockingStub(secure).withDeadlineAfter(30, TimeUnit.SECONDS)
                    .cast(Vote.newBuilder().setBand("Queen").setAlbum("Jazz").build());
            assertThat(receipt.getContest()).isEqualTo("default");

            assertThatThrownBy(() -> VoteServiceGrpc.newBlockingStub(plain).withDeadlineAfter(30, TimeUnit.SECONDS)
                    .cast(Vote.newBuilder().setBand("Queen").setAlbum("Jazz").build()))
                    .isInstanceOfSatisfying(StatusRuntimeException.class,
                            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
        } finally {
            secure.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            plain.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void shouldRefuseToStartTheAdminApiWithoutTlsUnlessAllowed() {
        IngestConfig config = IngestConfig.from(new Env(Map.of("OVATION_ADMIN_TOKEN", "t0ken",
                "OVATION_KAFKA", ovation.infra().kafkaBootstrapServers(), "OVATION_HTTP_PORT", "0",
                "OVATION_GRPC_PORT", "0", "OVATION_MANAGEMENT_PORT", "0", "OVATION_HOST", "127.0.0.1")));

        assertThatThrownBy(() -> IngestService.start(config, new Metrics()))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("OVATION_ADMIN_TOKEN is set but the ingest has no TLS")
                .hasMessageNotContaining("t0ken");
    }

    @Test
    void shouldNameTheFileWhenTheKeyIsNotPkcs8() throws Exception {
        Path rsa = dir.resolve("rsa.pem");
        Files.writeString(rsa, "-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----\n");

        assertThatThrownBy(() -> Tls.fromPem(cert, rsa))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("is a RSA PRIVATE KEY; give it in PKCS#8");
    }

    private static SSLContext trusting(Path certificate) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(certificate)) {
            trust.setCertificateEntry("ovation", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, factory.getTrustManagers(), null);
        return context;
    }
}
