package dev.ovation.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.ovation.infra.EmbeddedKafka;
import dev.ovation.infra.LocalPorts;
import dev.ovation.model.Env;
import dev.ovation.model.Protocol;
import dev.ovation.model.VoteEnvelope;
import dev.ovation.model.VoteValidator;
import dev.ovation.model.contest.Contest;
import dev.ovation.model.contest.ContestDirectory;
import dev.ovation.model.contest.RateLimits;
import dev.ovation.model.contest.VoteAdmission;
import dev.ovation.proto.seed.getInfoGrpc;
import dev.ovation.proto.seed.replyInfo;
import dev.ovation.proto.seed.requestId;
import dev.ovation.proto.v1.Receipt;
import dev.ovation.proto.v1.StreamReceipt;
import dev.ovation.proto.v1.Vote;
import dev.ovation.proto.v1.VoteServiceGrpc;
import dev.ovation.web.AddressRanges;
import dev.ovation.web.ClientAddresses;
import io.grpc.BindableService;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.StreamObserver;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The ingest's gRPC services ({@code ovation.v1.VoteService}'s {@code Cast} and {@code CastStream},
 * the seed's {@code returnInfo}) over an in-process transport, in front of the real intake and
 * publisher and a real Kafka: each refusal's status and message, counted in the metrics, with
 * nothing published; each accepted vote's receipt and its exact record in the topic; and, with a
 * publisher whose Kafka does not answer, {@code UNAVAILABLE} naming the vote's id.
 */
class IngestGrpcIT {

    private static final String TOPIC = "grpc-votes";
    private static final Instant NOW = Instant.parse("2026-12-01T20:00:00Z");
    private static final String SALT = "in-process-salt";
    private static final String NOT_STORED = ": Kafka did not acknowledge the vote within 1000 ms; it may not have been"
            + " stored: retry with the same id, it will count once";

    @TempDir
    static Path dataDir;

    private static EmbeddedKafka kafka;
    private static KafkaConsumer<String, byte[]> topic;
    private static SimpleMeterRegistry registry;
    private static InProcessIngest ingest;
    private static InProcessIngest withoutKafka;

    @BeforeAll
    static void start() throws Exception {
        kafka = EmbeddedKafka.start(dataDir, "127.0.0.1", LocalPorts.pickFree("127.0.0.1"));
        IngestConfig config = config(kafka.bootstrapServers());
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            config.stores().votesTopic().ensureExists(admin, 30_000);
        }
        registry = new SimpleMeterRegistry();
        ingest = InProcessIngest.start(config, new IngestMetrics(registry));
        ingest.publisher.awaitTopic();
        // a port nothing listens on: the producer has no metadata, and refuses every send at once
        withoutKafka = InProcessIngest.start(config("127.0.0.1:" + LocalPorts.pickFree("127.0.0.1")),
                new IngestMetrics(new SimpleMeterRegistry()));
        topic = consumer(kafka.bootstrapServers());
    }

    @AfterAll
    static void stop() throws Exception {
        for (AutoCloseable closeable : new AutoCloseable[] {topic, withoutKafka, ingest, kafka}) {
            if (closeable != null) {
                closeable.close();
            }
        }
    }

    @BeforeEach
    void startReadingAtTheEnd() {
        topic.seekToEnd(topic.assignment());
        topic.assignment().forEach(topic::position);
    }

    // ---- Cast

    static Stream<Arguments> refusedVotes() {
        Vote queen = Vote.newBuilder().setBand("Queen").setAlbum("Jazz").build();
        return Stream.of(
                Arguments.of("no band", queen.toBuilder().clearBand().build(), Status.Code.INVALID_ARGUMENT, "invalid",
                        "band is required and must not be empty"),
                Arguments.of("blank album", queen.toBuilder().setAlbum("  ").build(), Status.Code.INVALID_ARGUMENT,
                        "invalid", "album is required and must not be empty"),
                Arguments.of("band of 201 characters", queen.toBuilder().setBand("x".repeat(201)).build(),
                        Status.Code.INVALID_ARGUMENT, "invalid", "band is 201 characters long; the most is 200"),
                Arguments.of("year of 65 characters", queen.toBuilder().setYear("1".repeat(65)).build(),
                        Status.Code.INVALID_ARGUMENT, "invalid", "year is 65 characters long; the most is 64"),
                Arguments.of("control character", queen.toBuilder().setBand("Que\u0001en").build(),
                        Status.Code.INVALID_ARGUMENT, "invalid", "band must not contain control characters"),
                Arguments.of("bad id", queen.toBuilder().setId("a b").build(), Status.Code.INVALID_ARGUMENT, "invalid",
                        "id must be 1 to 128 characters of A-Z, a-z, 0-9, '.', '_', ':' or '-'"),
                Arguments.of("bad contest", queen.toBuilder().setContest("../admin").build(),
                        Status.Code.INVALID_ARGUMENT, "invalid", "contest must be 1 to 64 characters of a-z, 0-9, '_'"
                                + " or '-', starting with a letter or digit"),
                Arguments.of("unknown contest", queen.toBuilder().setContest("nope").build(), Status.Code.NOT_FOUND,
                        "unknown_contest", "there is no contest 'nope'"),
                Arguments.of("closed contest", queen.toBuilder().setContest("closed").build(),
                        Status.Code.FAILED_PRECONDITION, "contest_closed", "contest 'closed' is closed"),
                Arguments.of("band outside the catalog", queen.toBuilder().setContest("final").setBand("Abba").build(),
                        Status.Code.INVALID_ARGUMENT, "not_in_catalog",
                        "'Abba' is not a band of contest 'final'; its bands are: Queen, Muse"),
                Arguments.of("album outside the catalog", queen.toBuilder().setContest("final").setAlbum("Innuendo")
                        .build(), Status.Code.INVALID_ARGUMENT, "not_in_catalog",
                        "'Innuendo' is not an album of Queen in contest 'final'; its albums are: Jazz, A Night at the Opera"));
    }

    @ParameterizedTest(name = "{0}: {2}")
    @MethodSource("refusedVotes")
    void shouldRefuseACastWithItsStatusAndPublishNothing(String description, Vote vote, Status.Code code, String reason,
                                                        String message) {
        double refusedBefore = refused(Protocol.GRPC, reason);

        assertThatThrownBy(() -> ingest.votes().cast(vote))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(code);
                    assertThat(e.getStatus().getDescription()).isEqualTo(message);
                });

        assertThat(refused(Protocol.GRPC, reason)).isEqualTo(refusedBefore + 1);
        assertThat(publishedUpTo(marker())).as("records published by the test, the marker last").hasSize(1);
    }

    @Test
    void shouldHoldAVoterToTheContestsRateWithResourceExhausted() {
        Vote vote = Vote.newBuilder().setContest("tight").setBand("Queen").setAlbum("Jazz").setVoter("+44 7700 900124")
                .build();
        Receipt first = ingest.votes().cast(vote);

        assertThatThrownBy(() -> ingest.votes().cast(vote.toBuilder().setId("second").build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
                    assertThat(e.getStatus().getDescription()).matches("too many votes from this voter in contest"
                            + " 'tight': at most 1 a minute \\(bursts of 1\\); retry after ([1-5]?[0-9]|60) s");
                });

        String marker = marker();
        assertThat(publishedUpTo(first.getId(), marker)).extracting(ConsumerRecord::key).containsExactlyInAnyOrder(
                "tight/voter:" + new VoterPseudonyms(SALT).of("+44 7700 900124"), "default/" + marker);
    }

    @Test
    void shouldRefuseBytesThatAreNoVoteAndPublishNothing() {
        // band (field 3) sent as a number: not a band, so the vote has none
        assertThatThrownBy(() -> castBytes(new byte[] {0x18, 0x05, 0x22, 0x04, 'J', 'a', 'z', 'z'}))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
                    assertThat(e.getStatus().getDescription()).isEqualTo("band is required and must not be empty");
                });
        // a band said to be 16 bytes long, of which one came; and a band that is not UTF-8: no Vote can be
        // read from them, which the client is told with INVALID_ARGUMENT (not grpc-java's UNKNOWN)
        double invalidBefore = refused(Protocol.GRPC, "invalid");
        for (byte[] malformed : List.of(new byte[] {0x1A, 0x10, 'Q'}, new byte[] {0x1A, 0x02, (byte) 0xC0, (byte) 0xAF})) {
            assertThatThrownBy(() -> castBytes(malformed))
                    .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
                        assertThat(e.getStatus().getDescription())
                                .startsWith("the request is not a valid ovation.v1.Vote message: ");
                    });
        }
        assertThatThrownBy(() -> castBytes(new byte[] {0x1A, 0x10, 'Q'}))
                .hasMessageEndingWith("the input ended unexpectedly in the middle of a field.  This could mean either "
                        + "that the input has been truncated or that an embedded message misreported its own length.");
        assertThatThrownBy(() -> castBytes(new byte[] {0x1A, 0x02, (byte) 0xC0, (byte) 0xAF}))
                .hasMessageEndingWith("ovation.v1.Vote message: Protocol message had invalid UTF-8.");
        assertThat(refused(Protocol.GRPC, "invalid")).isEqualTo(invalidBefore + 4);

        assertThat(publishedUpTo(marker())).hasSize(1);
    }

    @Test
    void shouldAnswerACastOnceKafkaHasItsExactRecord() throws Exception {
        Vote vote = Vote.newBuilder().setId("cast-1").setContest("final").setBand(" Queen ").setAlbum("Jazz")
                .setYear("1978").setRank("1").setVoter("+44 7700 900123").build();
        double acceptedBefore = registry.get("ovation.votes.accepted").tag("protocol", "grpc").counter().count();

        Receipt receipt = ingest.votes().cast(vote);

        assertThat(receipt).isEqualTo(Receipt.newBuilder().setId("cast-1").setContest("final").build());
        String voter = new VoterPseudonyms(SALT).of("+44 7700 900123");
        assertThat(voter).startsWith("v1:");
        List<ConsumerRecord<String, byte[]>> published = publishedUpTo("cast-1");
        assertThat(published).hasSize(1);
        assertThat(published.get(0).key()).isEqualTo("final/voter:" + voter);
        assertThat(VoteEnvelope.decode(published.get(0).value()))
                .isEqualTo(envelope("cast-1", "final", "Queen", "Jazz", "1978", "1", voter, "grpc", 3));
        assertThat(registry.get("ovation.votes.accepted").tag("protocol", "grpc").counter().count())
                .isEqualTo(acceptedBefore + 1);
    }

    @Test
    void shouldGiveAVoteWithoutIdAnIdAndPutItInTheDefaultContest() throws Exception {
        Receipt receipt = ingest.votes().cast(Vote.newBuilder().setBand("Muse").setAlbum("Drones").build());

        assertThat(receipt.getContest()).isEqualTo("default");
        assertThat(receipt.getId()).matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
        List<ConsumerRecord<String, byte[]>> published = publishedUpTo(receipt.getId());
        assertThat(published).extracting(ConsumerRecord::key).containsExactly("default/" + receipt.getId());
        assertThat(VoteEnvelope.decode(published.get(0).value()))
                .isEqualTo(envelope(receipt.getId(), "default", "Muse", "Drones", "", "", "", "grpc", 0));
    }

    // ---- CastStream

    @Test
    void shouldAnswerEveryVoteOfAStreamUnderItsIndexAndPublishOnlyTheAcceptedOnes() throws Exception {
        double invalidBefore = refused(Protocol.GRPC_STREAM, "invalid");
        double unknownBefore = refused(Protocol.GRPC_STREAM, "unknown_contest");
        List<Vote> votes = List.of(
                Vote.newBuilder().setId("stream-0").setContest("final").setBand("Muse").setAlbum("Origin of Symmetry")
                        .build(),
                Vote.newBuilder().setId("stream-1").setAlbum("Jazz").build(),
                Vote.newBuilder().setId("stream-2").setContest("nope").setBand("Queen").setAlbum("Jazz").build(),
                Vote.newBuilder().setId("stream-3").setContest("final").setBand("Abba").setAlbum("Waterloo").build(),
                Vote.newBuilder().setId("stream-4").setContest("closed").setBand("Queen").setAlbum("Jazz").build(),
                Vote.newBuilder().setId("stream-5").setBand("Queen").setAlbum("Jazz").setRank("2").build());

        Map<Long, StreamReceipt> receipts = castStream(ingest, votes);

        assertThat(receipts).containsOnlyKeys(0L, 1L, 2L, 3L, 4L, 5L);
        assertThat(receipts.get(0L).getReceipt())
                .isEqualTo(Receipt.newBuilder().setId("stream-0").setContest("final").build());
        assertThat(receipts.get(5L).getReceipt())
                .isEqualTo(Receipt.newBuilder().setId("stream-5").setContest("default").build());
        assertError(receipts.get(1L), "INVALID_ARGUMENT", "band is required and must not be empty");
        assertError(receipts.get(2L), "NOT_FOUND", "there is no contest 'nope'");
        assertError(receipts.get(3L), "INVALID_ARGUMENT",
                "'Abba' is not a band of contest 'final'; its bands are: Queen, Muse");
        assertError(receipts.get(4L), "FAILED_PRECONDITION", "contest 'closed' is closed");
        assertThat(refused(Protocol.GRPC_STREAM, "invalid")).isEqualTo(invalidBefore + 1);
        assertThat(refused(Protocol.GRPC_STREAM, "unknown_contest")).isEqualTo(unknownBefore + 1);

        List<ConsumerRecord<String, byte[]>> published = publishedUpTo("stream-0", "stream-5");
        assertThat(published).extracting(ConsumerRecord::key)
                .containsExactlyInAnyOrder("final/stream-0", "default/stream-5");
        assertThat(published).extracting(r -> VoteEnvelope.decode(r.value())).containsExactlyInAnyOrder(
                envelope("stream-0", "final", "Muse", "Origin of Symmetry", "", "", "", "grpc-stream", 3),
                envelope("stream-5", "default", "Queen", "Jazz", "", "2", "", "grpc-stream", 0));
    }

    @Test
    void shouldAnswerBytesThatAreNoVoteInAStreamUnderTheirIndexAndGoOn() throws Exception {
        double invalidBefore = refused(Protocol.GRPC_STREAM, "invalid");
        List<byte[]> requests = List.of(
                Vote.newBuilder().setId("bytes-0").setContest("final").setBand("Queen").setAlbum("Jazz").build()
                        .toByteArray(),
                new byte[] {0x1A, 0x10, 'Q'},
                Vote.newBuilder().setId("bytes-2").setContest("final").setBand("Muse").setAlbum("Origin of Symmetry").build()
                        .toByteArray());

        Map<Long, StreamReceipt> receipts = castStreamBytes(requests);

        assertThat(receipts).containsOnlyKeys(0L, 1L, 2L);
        assertThat(receipts.get(0L).getReceipt()).isEqualTo(Receipt.newBuilder().setId("bytes-0").setContest("final").build());
        assertThat(receipts.get(1L).getErrorCode()).isEqualTo("INVALID_ARGUMENT");
        assertThat(receipts.get(1L).getErrorMessage()).startsWith("the request is not a valid ovation.v1.Vote message: "
                + "While parsing a protocol message, the input ended unexpectedly");
        assertThat(receipts.get(2L).getReceipt()).isEqualTo(Receipt.newBuilder().setId("bytes-2").setContest("final").build());
        assertThat(refused(Protocol.GRPC_STREAM, "invalid")).isEqualTo(invalidBefore + 1);
        assertThat(publishedUpTo("bytes-0", "bytes-2")).extracting(ConsumerRecord::key)
                .containsExactlyInAnyOrder("final/bytes-0", "final/bytes-2");
    }

    // ---- the seed's returnInfo

    static Stream<Arguments> refusedSeedVotes() {
        requestId beatles = requestId.newBuilder().setName("The Beatles").setAlbum("Abbey Road").setYear("1969").build();
        return Stream.of(
                Arguments.of("no name", beatles.toBuilder().clearName().build(),
                        "name (the band) is required and must not be empty"),
                Arguments.of("blank name", beatles.toBuilder().setName(" ").build(),
                        "name (the band) is required and must not be empty"),
                Arguments.of("no album", beatles.toBuilder().clearAlbum().build(), "album is required and must not be empty"),
                Arguments.of("rank of 65 characters", beatles.toBuilder().setRank("9".repeat(65)).build(),
                        "rank is 65 characters long; the most is 64"),
                Arguments.of("name of 201 characters", beatles.toBuilder().setName("x".repeat(201)).build(),
                        "band is 201 characters long; the most is 200"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusedSeedVotes")
    void shouldRefuseASeedVoteWithInvalidArgumentAndPublishNothing(String description, requestId request,
                                                                    String message) {
        double refusedBefore = refused(Protocol.SEED_GRPC, "invalid");

        assertThatThrownBy(() -> ingest.seed().returnInfo(request))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
                    assertThat(e.getStatus().getDescription()).isEqualTo(message);
                });

        assertThat(refused(Protocol.SEED_GRPC, "invalid")).isEqualTo(refusedBefore + 1);
        assertThat(publishedUpTo(marker())).hasSize(1);
    }

    @Test
    void shouldRefuseBytesThatAreNoSeedRequestWithInvalidArgumentAndPublishNothing() {
        double refusedBefore = refused(Protocol.SEED_GRPC, "invalid");
        // name (field 1) said to be 5 bytes long, of which two came
        assertThatThrownBy(() -> callBytes(getInfoGrpc.getReturnInfoMethod(), new byte[] {0x0A, 0x05, 'A', 'B'}))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
                    assertThat(e.getStatus().getDescription())
                            .startsWith("the request is not a valid confproto.requestId message: ");
                });

        assertThat(refused(Protocol.SEED_GRPC, "invalid")).isEqualTo(refusedBefore + 1);
        assertThat(publishedUpTo(marker())).hasSize(1);
    }

    @Test
    void shouldCastASeedVoteIntoTheDefaultContest() throws Exception {
        replyInfo reply = ingest.seed().returnInfo(requestId.newBuilder().setName("The Beatles").setAlbum("Abbey Road")
                .setYear("1969").setRank("1").build());

        String id = reply.getInfo().replaceFirst("^vote (\\S+) .*", "$1");
        assertThat(reply.getInfo()).isEqualTo("vote " + id + " for The Beatles / Abbey Road accepted in contest default");
        List<ConsumerRecord<String, byte[]>> published = publishedUpTo(id);
        assertThat(published).extracting(ConsumerRecord::key).containsExactly("default/" + id);
        assertThat(VoteEnvelope.decode(published.get(0).value()))
                .isEqualTo(envelope(id, "default", "The Beatles", "Abbey Road", "1969", "1", "", "seed-grpc", 0));
    }

    // ---- Kafka not acknowledging

    @Test
    void shouldAnswerUnavailableWithTheVotesIdWhenKafkaDoesNotTakeIt() {
        assertThatThrownBy(() -> withoutKafka.votes().cast(Vote.newBuilder().setId("lost-1").setBand("Queen")
                .setAlbum("Jazz").build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
                    assertThat(e.getStatus().getDescription()).isEqualTo("vote lost-1" + NOT_STORED);
                });

        Map<Long, StreamReceipt> receipts = castStream(withoutKafka, List.of(
                Vote.newBuilder().setId("lost-2").setBand("Queen").setAlbum("Jazz").build()));
        assertError(receipts.get(0L), "UNAVAILABLE", "vote lost-2" + NOT_STORED);

        assertThatThrownBy(() -> withoutKafka.seed().returnInfo(requestId.newBuilder().setName("Queen").setAlbum("Jazz")
                .build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
                    assertThat(e.getStatus().getDescription()).matches("vote [0-9a-f-]{36}" + Pattern.quote(NOT_STORED));
                });
    }

    // ---- helpers

    /** The record a vote received at {@link #NOW} is published as. */
    private static VoteEnvelope envelope(String id, String contest, String band, String album, String year, String rank,
                                         String voter, String protocol, int votesPerVoter) {
        return new VoteEnvelope(new dev.ovation.model.Vote(id, contest, band, album, year, rank, voter), // qualified: the imported Vote is the proto message
                protocol, NOW.toEpochMilli(), votesPerVoter);
    }

    private static void assertError(StreamReceipt receipt, String code, String message) {
        assertThat(receipt.hasReceipt()).isFalse();
        assertThat(receipt.getErrorCode()).isEqualTo(code);
        assertThat(receipt.getErrorMessage()).isEqualTo(message);
    }

    private static double refused(Protocol protocol, String reason) {
        return registry.get("ovation.votes.refused").tag("protocol", protocol.label()).tag("reason", reason).counter()
                .count();
    }

    /** Casts a valid vote and returns its id: whatever a test published before it is in the topic once it is. */
    private static String marker() {
        return ingest.votes().cast(Vote.newBuilder().setBand("Marker").setAlbum("Marker").build()).getId();
    }

    /** The records published since the test began, read until the votes {@code ids} all are. */
    private static List<ConsumerRecord<String, byte[]>> publishedUpTo(String... ids) {
        List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
        List<String> missing = new ArrayList<>(List.of(ids));
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            for (ConsumerRecord<String, byte[]> record : topic.poll(Duration.ofMillis(100))) {
                records.add(record);
                missing.remove(VoteEnvelope.decode(record.value()).vote().id());
            }
            return missing.isEmpty();
        });
        return records;
    }

    private static Map<Long, StreamReceipt> castStream(InProcessIngest target, List<Vote> votes) {
        return streamed(receipts -> target.asyncVotes().castStream(receipts), votes);
    }

    /** Sends {@code requests} on a stream {@code open} starts, then ends it: the receipts by index. */
    private static <Q> Map<Long, StreamReceipt> streamed(
            Function<StreamObserver<StreamReceipt>, StreamObserver<Q>> open, List<Q> requests) {
        CompletableFuture<Map<Long, StreamReceipt>> done = new CompletableFuture<>();
        Map<Long, StreamReceipt> receipts = Collections.synchronizedMap(new LinkedHashMap<>());
        StreamObserver<Q> out = open.apply(new StreamObserver<>() {
            @Override
            public void onNext(StreamReceipt receipt) {
                receipts.put(receipt.getIndex(), receipt);
            }

            @Override
            public void onError(Throwable t) {
                done.completeExceptionally(t);
            }

            @Override
            public void onCompleted() {
                done.complete(receipts);
            }
        });
        requests.forEach(out::onNext);
        out.onCompleted();
        return done.orTimeout(30, TimeUnit.SECONDS).join();
    }

    /** The bytes of a request or an answer, as they are: what a client of another schema may send. */
    private static final MethodDescriptor.Marshaller<byte[]> BYTES = new MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(byte[] value) {
            return new ByteArrayInputStream(value);
        }

        @Override
        public byte[] parse(InputStream stream) {
            try {
                return stream.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    };

    /** Calls {@code Cast} with bytes that need not be a {@code Vote}. */
    private static byte[] castBytes(byte[] request) {
        return callBytes(VoteServiceGrpc.getCastMethod(), request);
    }

    /** Calls the unary {@code method} with bytes that need not be its request. */
    private static byte[] callBytes(MethodDescriptor<?, ?> method, byte[] request) {
        return ClientCalls.blockingUnaryCall(ingest.channel, method.toBuilder(BYTES, BYTES).build(),
                CallOptions.DEFAULT.withDeadlineAfter(30, TimeUnit.SECONDS), request);
    }

    /** Calls {@code CastStream} with requests that need not be votes; the receipts by index. */
    private static Map<Long, StreamReceipt> castStreamBytes(List<byte[]> requests) {
        MethodDescriptor<byte[], StreamReceipt> method = VoteServiceGrpc.getCastStreamMethod()
                .toBuilder(BYTES, VoteServiceGrpc.getCastStreamMethod().getResponseMarshaller()).build();
        return streamed(receipts -> ClientCalls.asyncBidiStreamingCall(ingest.channel.newCall(method,
                CallOptions.DEFAULT.withDeadlineAfter(30, TimeUnit.SECONDS)), receipts), requests);
    }

    private static IngestConfig config(String kafkaBootstrap) {
        return IngestConfig.from(new Env(Map.of("OVATION_KAFKA", kafkaBootstrap, "OVATION_TOPIC", TOPIC,
                "OVATION_ACK_TIMEOUT_MS", "1000")));
    }

    private static KafkaConsumer<String, byte[]> consumer(String bootstrap) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                new ByteArrayDeserializer());
        consumer.assign(consumer.partitionsFor(TOPIC, Duration.ofSeconds(30)).stream()
                .map(p -> new TopicPartition(TOPIC, p.partition())).toList());
        return consumer;
    }

    /** The contests of these tests: the default one, a final with a closed catalog, a closed one, a tight one. */
    private static ContestDirectory contests() {
        Map<String, List<String>> catalog = new LinkedHashMap<>();
        catalog.put("Queen", List.of("Jazz", "A Night at the Opera"));
        catalog.put("Muse", List.of());
        RateLimits.Rate oneAMinute = new RateLimits.Rate(1, 1);
        Map<String, Contest> byId = Map.of(
                "default", Contest.defaultContest(),
                "final", new Contest("final", "The final", catalog, null, null, Contest.SCHEDULED, 3, null),
                "closed", new Contest("closed", null, Map.of(), null, null, Contest.CLOSED, 0, null),
                "tight", new Contest("tight", null, Map.of(), null, null, Contest.OPEN, 0,
                        new RateLimits(oneAMinute, RateLimits.Rate.NONE)));
        return new ContestDirectory() {
            @Override
            public Optional<Contest> find(String id) {
                return Optional.ofNullable(byId.get(id));
            }

            @Override
            public List<Contest> all() {
                return List.copyOf(byId.values());
            }
        };
    }

    /** The ingest's gRPC server on an in-process transport, the real intake behind it, and a channel to it. */
    private record InProcessIngest(VotePublisher publisher, IngestGrpcServer server, ManagedChannel channel)
            implements AutoCloseable {

        static InProcessIngest start(IngestConfig config, IngestMetrics metrics) throws IOException {
            VotePublisher publisher = new VotePublisher(VotePublisher.createProducer(config), TOPIC,
                    config.ackTimeoutMillis(), Clock.fixed(NOW, ZoneOffset.UTC), metrics, new AckWatch());
            VoteIntake intake = new VoteIntake(new VoteValidator(), new VoteAdmission(contests(),
                    Clock.fixed(NOW, ZoneOffset.UTC)), new VoteThrottle(AddressRanges.NONE), new VoterPseudonyms(SALT),
                    publisher, metrics);
            String name = InProcessServerBuilder.generateName();
            List<BindableService> services = IngestGrpcServer.voteServices(intake);
            IngestGrpcServer server = new IngestGrpcServer(InProcessServerBuilder.forName(name),
                    new ClientAddresses(AddressRanges.NONE), services).start();
            return new InProcessIngest(publisher, server, InProcessChannelBuilder.forName(name).build());
        }

        VoteServiceGrpc.VoteServiceBlockingStub votes() {
            return VoteServiceGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS);
        }

        VoteServiceGrpc.VoteServiceStub asyncVotes() {
            return VoteServiceGrpc.newStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS);
        }

        getInfoGrpc.getInfoBlockingStub seed() {
            return getInfoGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS);
        }

        @Override
        public void close() throws Exception {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            server.close();
            publisher.close();
        }
    }
}
