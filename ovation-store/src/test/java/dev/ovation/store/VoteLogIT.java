package dev.ovation.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoDatabase;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import dev.ovation.infra.EmbeddedMongo;
import dev.ovation.infra.LocalPorts;
import dev.ovation.model.Vote;
import dev.ovation.model.VoteEnvelope;
import dev.ovation.testkit.Python;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.bson.Document;
import org.bson.types.Binary;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The vote log against MongoDB-wire servers through the official driver: the embedded server with
 * its in-memory backend and with its H2 file backend, as the standalone runs it.
 */
class VoteLogIT {

    private static final String HOST = "127.0.0.1";
    private static final String TOPIC = "votes";
    /** Newest first, as the log promises: counted-at time, then partition, then offset. */
    private static final Comparator<LogEntry> NEWEST_FIRST = Comparator.comparing(LogEntry::countedAt).reversed()
            .thenComparingInt(LogEntry::partition)
            .thenComparing(Comparator.comparingLong(LogEntry::offset).reversed());

    @TempDir
    static Path dataDir;

    private static EmbeddedMongo inMemory;
    private static EmbeddedMongo inFile;
    private static MongoClient inMemoryClient;
    private static MongoClient inFileClient;
    private static final AtomicInteger DATABASES = new AtomicInteger();

    @BeforeAll
    static void startServers() {
        inMemory = EmbeddedMongo.start(HOST, LocalPorts.pickFree(HOST));
        inMemoryClient = StoreClients.mongo(inMemory.uri());
        inFile = EmbeddedMongo.start(HOST, LocalPorts.pickFree(HOST), dataDir.resolve("shared").resolve("ovation.mv"));
        inFileClient = StoreClients.mongo(inFile.uri());
    }

    @AfterAll
    static void stopServers() {
        inMemoryClient.close();
        inMemory.close();
        inFileClient.close();
        inFile.close();
    }

    /** The two backends, each with a database of its own for the test. */
    static Stream<String> backends() {
        return Stream.of("memory", "h2");
    }

    private static MongoDatabase freshDatabase(String backend) {
        MongoClient client = backend.equals("memory") ? inMemoryClient : inFileClient;
        return client.getDatabase("test" + DATABASES.incrementAndGet());
    }

    private static LogEntry entry(String id, String contest, long countedAt, int partition, long offset) {
        return LogEntry.of(new QueuedVote(new VoteEnvelope(new Vote(id, contest, "Queen", "Jazz", "1978", "1", "v"),
                "grpc", 500, 0), partition, offset), new CountOutcome(true, true, countedAt));
    }

    private static List<LogEntry> allOf(VoteLog log, String contest, int pageSize) {
        List<LogEntry> seen = new ArrayList<>();
        String cursor = null;
        do {
            LogPage page = log.latest(contest, pageSize, cursor);
            assertThat(page.entries()).hasSizeLessThanOrEqualTo(pageSize);
            seen.addAll(page.entries());
            cursor = page.next();
        } while (cursor != null);
        return seen;
    }

    private static List<LogEntry> newestFirst(List<LogEntry> entries, String contest) {
        return entries.stream().filter(e -> e.contest().equals(contest)).sorted(NEWEST_FIRST).toList();
    }

    @ParameterizedTest
    @MethodSource("backends")
    void shouldListTheLatestEntriesNewestFirstAcrossPartitionsAndContests(String backend) {
        // Given two batches over three partitions and two contests
        VoteLog log = new VoteLog(freshDatabase(backend));
        log.append(TOPIC, List.of(entry("a", "c1", 1_000, 0, 0), entry("b", "c2", 1_000, 1, 0),
                entry("c", "c1", 1_000, 2, 0), entry("d", "c1", 1_000, 0, 1)), Map.of(0, 0L, 1, 0L, 2, 0L),
                Map.of(0, 2L, 1, 1L, 2, 1L));
        log.append(TOPIC, List.of(entry("e", "c1", 2_000, 1, 1), entry("f", "c2", 2_000, 2, 1),
                entry("g", "c1", 1_500, 2, 2)), Map.of(1, 1L, 2, 1L), Map.of(1, 2L, 2, 3L));

        // When the latest entries are read
        LogPage c1 = log.latest("c1", 10, null);
        LogPage c2 = log.latest("c2", 10, null);

        // Then each contest has its own, newest counted first, then by partition, then by offset
        assertThat(c1.entries()).extracting(LogEntry::id).containsExactly("e", "g", "d", "a", "c");
        assertThat(c1.next()).isNull();
        assertThat(c2.entries()).extracting(LogEntry::id).containsExactly("f", "b");
        assertThat(c1.entries().get(0)).isEqualTo(entry("e", "c1", 2_000, 1, 1));
        assertThat(log.count("c1")).isEqualTo(5);
        assertThat(log.count("c2")).isEqualTo(2);
        assertThat(log.count("none")).isZero();
        assertThat(log.latest("none", 10, null)).isEqualTo(new LogPage(List.of(), null));
        assertThat(log.positions(TOPIC)).isEqualTo(Map.of(0, 2L, 1, 2L, 2, 3L));
    }

    @ParameterizedTest
    @MethodSource("backends")
    void shouldPageThroughOnlyTheFilteredBandAndAlbumReadingABoundedPartOfTheLogPerPage(String backend) {
        // Given 100 buckets of one partition (500 entries each, 50,000 in all) where only every
        // 1,000th vote is for Abba's Arrival and every 1,000th (shifted) for Abba's Waterloo
        VoteLog log = new VoteLog(freshDatabase(backend));
        List<String> arrival = new ArrayList<>();
        List<String> abba = new ArrayList<>();
        for (int b = 0; b < 100; b++) {
            List<LogEntry> batch = new ArrayList<>();
            for (int i = b * 500; i < (b + 1) * 500; i++) {
                String band = i % 1_000 == 0 || i % 1_000 == 500 ? "Abba" : "Queen";
                String album = i % 1_000 == 0 ? "Arrival" : i % 1_000 == 500 ? "Waterloo" : "Jazz";
                batch.add(LogEntry.of(new QueuedVote(new VoteEnvelope(new Vote("v" + i, "c1", band, album, "", "", ""),
                        "http", 500, 0), 0, i), new CountOutcome(true, true, 1_000 + b)));
                if (band.equals("Abba")) {
                    abba.add(0, "v" + i);
                    if (album.equals("Arrival")) {
                        arrival.add(0, "v" + i);
                    }
                }
            }
            log.append(TOPIC, batch, Map.of(0, (long) b * 500), Map.of(0, (long) (b + 1) * 500));
        }

        // When the log of Abba, then of Abba's Arrival, is paged through 10 at a time
        List<String> abbaSeen = new ArrayList<>();
        List<String> arrivalSeen = new ArrayList<>();
        int abbaPages = 0;
        String cursor = null;
        do {
            LogPage page = log.latest(new LogFilter("c1", "Abba", null), 10, cursor);
            page.entries().forEach(e -> abbaSeen.add(e.id()));
            assertThat(page.entries()).allMatch(e -> e.band().equals("Abba")).hasSizeLessThanOrEqualTo(10);
            cursor = page.next();
            abbaPages++;
        } while (cursor != null);
        cursor = null;
        do {
            LogPage page = log.latest(new LogFilter("c1", "Abba", "Arrival"), 10, cursor);
            page.entries().forEach(e -> arrivalSeen.add(e.id()));
            cursor = page.next();
        } while (cursor != null);

        // Then each holds exactly the filter's votes, newest first, each once; a page reads at most
        // 64 buckets, so the 100 buckets take more pages than the entries alone would
        assertThat(abbaSeen).containsExactlyElementsOf(abba);
        assertThat(arrivalSeen).containsExactlyElementsOf(arrival);
        assertThat(abba).hasSize(100);
        assertThat(abbaPages).isEqualTo(10);
        LogPage firstOfArrival = log.latest(new LogFilter("c1", "Abba", "Arrival"), 500, null);
        assertThat(firstOfArrival.entries()).hasSize(32);
        assertThat(firstOfArrival.next()).isNotNull();
        assertThat(log.latest(new LogFilter("c1", "Nobody", null), 500, null).entries()).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("backends")
    void shouldReturnEveryEntryOnceInOrderWhenPagingBackThroughTheWholeLog(String backend) {
        // Given 5,000 entries over 3 partitions, one in 7 of another contest, in batches small and
        // large (more than a bucket holds per partition, and more than a page reads of a bucket at once)
        VoteLog log = new VoteLog(freshDatabase(backend));
        List<LogEntry> all = new ArrayList<>();
        Map<Integer, Long> at = new HashMap<>(Map.of(0, 0L, 1, 0L, 2, 0L));
        int[] sizes = {90, 1_700, 300, 7};
        for (int n = 0, b = 0; n < 5_000; n += sizes[b++ % sizes.length]) {
            int size = sizes[b % sizes.length];
            List<LogEntry> batch = new ArrayList<>();
            Map<Integer, Long> from = new HashMap<>(at);
            for (int i = n; i < Math.min(5_000, n + size); i++) {
                int partition = i % 3;
                long offset = at.merge(partition, 1L, Long::sum) - 1;
                // a batch is counted at one time, but its first votes were decided by an earlier try
                long countedAt = i - n < 6 ? 1_000_000L + n - 1 : 1_000_000L + n;
                batch.add(entry("v" + i, i % 7 == 0 ? "other" : "c1", countedAt, partition, offset));
            }
            log.append(TOPIC, batch, from, new HashMap<>(at));
            all.addAll(batch);
        }

        // When the log is read back 97 entries at a time
        List<LogEntry> seen = allOf(log, "c1", 97);
        LogPage latest = log.latest("c1", 20, null);

        // Then every entry of the contest comes exactly once, newest first
        List<LogEntry> expected = newestFirst(all, "c1");
        assertThat(seen).hasSize(expected.size()).doesNotHaveDuplicates();
        assertThat(seen).isEqualTo(expected);
        assertThat(latest.entries()).isEqualTo(expected.subList(0, 20));
        assertThat(allOf(log, "c1", 500)).isEqualTo(expected);
        assertThat(allOf(log, "other", 500)).isEqualTo(newestFirst(all, "other"));
        assertThat(allOf(log, "other", 3)).isEqualTo(newestFirst(all, "other"));
        assertThat(log.count("c1")).isEqualTo(expected.size());
        assertThat(log.count("other")).isEqualTo(all.size() - expected.size());
        assertThat(log.positions(TOPIC)).isEqualTo(at);
    }

    @ParameterizedTest
    @MethodSource("backends")
    void shouldChangeNothingWhenABatchIsAppendedAgainFromTheSameStart(String backend) {
        // Given a batch appended
        MongoDatabase database = freshDatabase(backend);
        VoteLog log = new VoteLog(database);
        List<LogEntry> batch = List.of(entry("a", "c1", 1_000, 0, 0), entry("b", "c1", 1_000, 0, 1),
                entry("c", "c1", 1_000, 1, 0));
        log.append(TOPIC, batch, Map.of(0, 0L, 1, 0L), Map.of(0, 2L, 1, 1L));

        // When it is appended again from the same start, by this log and by a new one
        log.append(TOPIC, batch, Map.of(0, 0L, 1, 0L), Map.of(0, 2L, 1, 1L));
        new VoteLog(database).append(TOPIC, batch, Map.of(0, 0L, 1, 0L), Map.of(0, 2L, 1, 1L));

        // Then the log holds each entry once
        assertThat(allOf(log, "c1", 10)).isEqualTo(newestFirst(batch, "c1"));
        assertThat(log.count("c1")).isEqualTo(3);
        assertThat(log.positions(TOPIC)).isEqualTo(Map.of(0, 2L, 1, 1L));
        assertThat(database.getCollection("log_buckets").countDocuments()).isEqualTo(2);
    }

    @ParameterizedTest
    @MethodSource("backends")
    void shouldLogEveryEntryOnceWhenRetriedAfterACrashBeforeThePositionWasWritten(String backend) {
        // Given a batch logged, then its position lost, as if the counter died before writing it
        MongoDatabase database = freshDatabase(backend);
        VoteLog log = new VoteLog(database);
        List<LogEntry> votes = new ArrayList<>();
        for (int i = 0; i < 15; i++) {
            votes.add(entry("v" + i, "c1", 1_000 + i / 5, i % 2, i / 2));
        }
        log.append(TOPIC, votes.subList(0, 10), Map.of(0, 0L, 1, 0L), Map.of(0, 5L, 1, 5L));
        database.getCollection("positions").deleteMany(new Document());

        // When the batch comes again from the same start, shorter, then longer
        log.append(TOPIC, votes.subList(0, 6), Map.of(0, 0L, 1, 0L), Map.of(0, 3L, 1, 3L));
        database.getCollection("positions").deleteMany(new Document());
        new VoteLog(database).append(TOPIC, votes, Map.of(0, 0L, 1, 0L), Map.of(0, 8L, 1, 7L));

        // Then each entry is logged exactly once
        assertThat(allOf(log, "c1", 4)).isEqualTo(newestFirst(votes, "c1"));
        assertThat(log.count("c1")).isEqualTo(15);
        assertThat(log.positions(TOPIC)).isEqualTo(Map.of(0, 8L, 1, 7L));
    }

    @ParameterizedTest
    @MethodSource("backends")
    void shouldLogEveryEntryOnceWhenRetriedAfterACrashRightAfterTheBucketsWereWritten(String backend) {
        // Given a first batch logged
        MongoDatabase database = freshDatabase(backend);
        List<LogEntry> votes = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            votes.add(entry("v" + i, i % 4 == 0 ? "c2" : "c1", 1_000 + i / 10, i % 3, i / 3));
        }
        new VoteLog(database).append(TOPIC, votes.subList(0, 9), Map.of(0, 0L, 1, 0L, 2, 0L),
                Map.of(0, 3L, 1, 3L, 2, 3L));
        // and a second whose heads and positions were never written (the process died after the buckets)
        List<Document> headsBefore = database.getCollection("log_heads").find().into(new ArrayList<>());
        List<Document> positionsBefore = database.getCollection("positions").find().into(new ArrayList<>());
        new VoteLog(database).append(TOPIC, votes.subList(9, 21), Map.of(0, 3L, 1, 3L, 2, 3L),
                Map.of(0, 7L, 1, 7L, 2, 7L));
        restore(database, "log_heads", headsBefore);
        restore(database, "positions", positionsBefore);

        // When the counter starts again from the stored positions with a longer batch
        VoteLog log = new VoteLog(database);
        log.append(TOPIC, votes.subList(9, 30), Map.of(0, 3L, 1, 3L, 2, 3L), Map.of(0, 10L, 1, 10L, 2, 10L));

        // Then each entry is logged exactly once, in order, for both contests
        assertThat(allOf(log, "c1", 5)).isEqualTo(newestFirst(votes, "c1"));
        assertThat(allOf(log, "c2", 5)).isEqualTo(newestFirst(votes, "c2"));
        assertThat(log.count("c1")).isEqualTo(22);
        assertThat(log.count("c2")).isEqualTo(8);
        assertThat(log.positions(TOPIC)).isEqualTo(Map.of(0, 10L, 1, 10L, 2, 10L));
    }

    private static void restore(MongoDatabase database, String collection, List<Document> documents) {
        database.getCollection(collection).deleteMany(new Document());
        if (!documents.isEmpty()) {
            database.getCollection(collection).insertMany(documents);
        }
    }

    @ParameterizedTest
    @MethodSource("backends")
    void shouldStoreEachEntryAsADocumentWithNamedFields(String backend) {
        // Given a counted vote and a rejected one, logged
        MongoDatabase database = freshDatabase(backend);
        VoteLog log = new VoteLog(database);
        LogEntry counted = entry("a", "c1", 1_000, 3, 40);
        LogEntry rejected = LogEntry.of(new QueuedVote(new VoteEnvelope(new Vote("b", "c1", "Abba", "Arrival", "",
                "", "v2"), "http", 700, 0), 3, 41), new CountOutcome(true, false, 1_200));
        log.append(TOPIC, List.of(counted, rejected), Map.of(3, 40L), Map.of(3, 42L));

        // When the bucket is read as MongoDB's tools see it
        Document bucket = database.getCollection("log_buckets").find().first();

        // Then each vote is a sub-document with named fields, times as dates, the reason only when rejected
        assertThat(bucket.getString("_id")).isEqualTo("votes/3/40");
        assertThat(bucket.getInteger("n")).isEqualTo(2);
        assertThat(bucket.getList("entries", Document.class)).containsExactly(
                new Document("id", "a").append("contest", "c1").append("band", "Queen").append("album", "Jazz")
                        .append("year", "1978").append("rank", "1").append("voter", "v").append("protocol", "grpc")
                        .append("receivedAt", new Date(500)).append("countedAt", new Date(1_000))
                        .append("status", "counted").append("partition", 3).append("offset", 40L),
                new Document("id", "b").append("contest", "c1").append("band", "Abba").append("album", "Arrival")
                        .append("year", "").append("rank", "").append("voter", "v2").append("protocol", "http").append("receivedAt", new Date(700))
                        .append("countedAt", new Date(1_200)).append("status", "rejected")
                        .append("reason", "voter_limit").append("partition", 3).append("offset", 41L));
        assertThat(log.latest("c1", 10, null).entries()).containsExactly(rejected, counted);
    }

    @ParameterizedTest
    @MethodSource("backends")
    void shouldReadBucketsPackedByEarlierVersionsAndWriteNewOnesAsDocuments(String backend) {
        // Given a log of 1,200 entries over 3 partitions whose buckets an earlier version packed
        MongoDatabase database = freshDatabase(backend);
        Map<Integer, Long> at = new HashMap<>(Map.of(0, 0L, 1, 0L, 2, 0L));
        List<LogEntry> all = new ArrayList<>(appendBatches(new VoteLog(database), at, 0, 1_200));
        assertThat(PackedBuckets.repack(database.getCollection("log_buckets"))).isEqualTo(18);

        // When this version reads it and appends 900 more, through a log that starts on it
        VoteLog log = new VoteLog(database);
        List<LogEntry> packedLatest = log.latest("c1", 20, null).entries();
        all.addAll(appendBatches(log, at, 1_200, 2_100));

        // Then both forms read: every entry once, newest first, the filters too; and only the new
        // buckets hold documents
        List<LogEntry> expected = newestFirst(all, "c1");
        assertThat(packedLatest).isEqualTo(newestFirst(all.subList(0, 1_200), "c1").subList(0, 20));
        assertThat(allOf(log, "c1", 97)).isEqualTo(expected);
        assertThat(allOf(log, "other", 500)).isEqualTo(newestFirst(all, "other"));
        assertThat(log.latest(new LogFilter("c1", "Queen", "Jazz"), 2_000, null).entries()).isEqualTo(expected);
        assertThat(log.count("c1")).isEqualTo(expected.size());
        List<Document> buckets = database.getCollection("log_buckets").find().into(new ArrayList<>());
        assertThat(buckets.stream().filter(d -> d.get("entries") instanceof Binary)).hasSize(18);
        assertThat(buckets.stream().filter(d -> d.get("entries") instanceof List)).hasSize(9);
    }

    @Test
    void shouldOpenTheDataFileOfAnEarlierVersionAndGoOnLoggingInIt() {
        // Given a data file written by an earlier version: documents in H2's Java serialization,
        // buckets packed
        Path file = dataDir.resolve("earlier").resolve("ovation.mv");
        file.getParent().toFile().mkdirs();
        Map<Integer, Long> at = new HashMap<>(Map.of(0, 0L, 1, 0L, 2, 0L));
        List<LogEntry> all = new ArrayList<>();
        MongoServer earlier = new MongoServer(new H2Backend(file.toString()));
        int port = LocalPorts.pickFree(HOST);
        earlier.bind(HOST, port);
        try (MongoClient client = StoreClients.mongo("mongodb://" + HOST + ":" + port)) {
            MongoDatabase database = client.getDatabase("ovation");
            all.addAll(appendBatches(new VoteLog(database), at, 0, 1_200));
            PackedBuckets.repack(database.getCollection("log_buckets"));
        } finally {
            earlier.shutdownNow();
        }

        // When this version's server opens it, and the log goes on, then the server starts again
        List<LogEntry> read;
        try (EmbeddedMongo server = EmbeddedMongo.start(HOST, LocalPorts.pickFree(HOST), file);
             MongoClient client = StoreClients.mongo(server.uri())) {
            VoteLog log = new VoteLog(client.getDatabase("ovation"));
            read = allOf(log, "c1", 500);
            all.addAll(appendBatches(log, at, 1_200, 2_100));
        }
        try (EmbeddedMongo server = EmbeddedMongo.start(HOST, LocalPorts.pickFree(HOST), file);
             MongoClient client = StoreClients.mongo(server.uri())) {
            VoteLog log = new VoteLog(client.getDatabase("ovation"));

            // Then the earlier log read whole, and the whole log reads after the restart, in order
            assertThat(read).isEqualTo(newestFirst(all.subList(0, 1_200), "c1"));
            assertThat(allOf(log, "c1", 97)).isEqualTo(newestFirst(all, "c1"));
            assertThat(log.count("c1") + log.count("other")).isEqualTo(2_100);
            assertThat(log.positions(TOPIC)).isEqualTo(at);
        }
    }

    /**
     * The log as MongoDB's own tools read it: a Python script with pymongo alone (Debian's
     * {@code python3-pymongo}) counts the gRPC votes of one band between two times with an
     * aggregation, and finds the latest votes with their named fields, on the file-backed server.
     */
    @Test
    void shouldAnswerQueriesOfPymongoOnTheNamedFields() throws Exception {
        // Given a contest's votes over gRPC and HTTP, for Queen and Abba, received either side of
        // 20:00 and 20:05, one over its voter's limit; and another contest's gRPC votes for Queen
        MongoDatabase database = inFileClient.getDatabase("test" + DATABASES.incrementAndGet());
        VoteLog log = new VoteLog(database);
        Instant eight = Instant.parse("2026-12-05T20:00:00Z");
        List<LogEntry> votes = new ArrayList<>();
        Map<Integer, Long> at = new HashMap<>(Map.of(0, 0L, 1, 0L, 2, 0L));
        String[][] shapes = {
            // contest, band, protocol, seconds after 20:00 received, counted (c) or rejected (r)
            {"finals", "Queen", "grpc", "-1", "c"}, {"finals", "Queen", "grpc", "0", "c"},
            {"finals", "Queen", "http", "10", "c"}, {"finals", "Queen", "grpc", "120", "r"},
            {"finals", "Abba", "grpc", "150", "c"}, {"finals", "Queen", "grpc", "299", "c"},
            {"semis", "Queen", "grpc", "200", "c"}, {"finals", "Queen", "grpc", "300", "c"},
            {"finals", "Queen", "grpc", "301", "c"}, {"finals", "Abba", "http", "302", "c"}};
        for (int batch = 0; batch < 2; batch++) {
            List<LogEntry> entries = new ArrayList<>();
            Map<Integer, Long> from = new HashMap<>(at);
            for (int i = batch * 5; i < batch * 5 + 5; i++) {
                String[] shape = shapes[i];
                int partition = i % 3;
                long offset = at.merge(partition, 1L, Long::sum) - 1;
                long received = eight.plusSeconds(Long.parseLong(shape[3])).toEpochMilli();
                entries.add(LogEntry.of(new QueuedVote(new VoteEnvelope(new Vote("vote-" + i, shape[0], shape[1],
                        shape[1] + " album", "", "", "v1:voter" + i), shape[2], received, 5), partition, offset),
                        new CountOutcome(true, shape[4].equals("c"), received + 400)));
            }
            log.append(TOPIC, entries, from, new HashMap<>(at));
            votes.addAll(entries);
        }

        // When the script asks for Queen's gRPC votes of the finals from 20:00 to 20:05, and the latest 3
        List<String> lines = pymongo(inFile.uri(), database.getName(), "finals", "Queen", "grpc",
                "2026-12-05T20:00:00Z", "2026-12-05T20:05:00Z", "3");

        // Then it counts exactly those received in the window, by status, and lists the newest
        // three votes of the finals with every field the log holds
        assertThat(lines).containsExactly(
                "{\"counted\": 2, \"rejected\": 1}",
                "{\"id\": \"vote-9\", \"contest\": \"finals\", \"band\": \"Abba\", \"album\": \"Abba album\", "
                        + "\"year\": \"\", \"rank\": \"\", \"voter\": \"v1:voter9\", \"protocol\": \"http\", "
                        + "\"receivedAt\": \"2026-12-05T20:05:02.000Z\", \"countedAt\": \"2026-12-05T20:05:02.400Z\", "
                        + "\"status\": \"counted\", \"partition\": 0, \"offset\": 3}",
                "{\"id\": \"vote-8\", \"contest\": \"finals\", \"band\": \"Queen\", \"album\": \"Queen album\", "
                        + "\"year\": \"\", \"rank\": \"\", \"voter\": \"v1:voter8\", \"protocol\": \"grpc\", "
                        + "\"receivedAt\": \"2026-12-05T20:05:01.000Z\", \"countedAt\": \"2026-12-05T20:05:01.400Z\", "
                        + "\"status\": \"counted\", \"partition\": 2, \"offset\": 2}",
                "{\"id\": \"vote-7\", \"contest\": \"finals\", \"band\": \"Queen\", \"album\": \"Queen album\", "
                        + "\"year\": \"\", \"rank\": \"\", \"voter\": \"v1:voter7\", \"protocol\": \"grpc\", "
                        + "\"receivedAt\": \"2026-12-05T20:05:00.000Z\", \"countedAt\": \"2026-12-05T20:05:00.400Z\", "
                        + "\"status\": \"counted\", \"partition\": 1, \"offset\": 2}");
        assertThat(log.latest("finals", 3, null).entries()).extracting(LogEntry::id)
                .containsExactly("vote-9", "vote-8", "vote-7");
    }

    /**
     * Runs {@code log-queries.py} with a python3 that has pymongo; without one, the test is skipped
     * (and fails on CI, where {@code .ci/run} installs Debian's {@code python3-pymongo}).
     */
    private static List<String> pymongo(String... args) throws IOException, InterruptedException, URISyntaxException {
        Optional<String> python = Stream.of("python3", Python.DEBIANS).filter(candidate -> Python.imports(candidate, "pymongo")).findFirst();
        if (python.isEmpty()) {
            String why = "no python3 with pymongo (Debian: apt-get install python3-pymongo)";
            if ("true".equals(System.getenv("CI"))) {
                fail(why);
            }
            assumeTrue(false, why);
        }
        List<String> command = new ArrayList<>(List.of(python.get(),
                Path.of(VoteLogIT.class.getResource("/log-queries.py").toURI()).toString()));
        command.addAll(List.of(args));
        Path out = Files.createTempFile(dataDir, "pymongo", ".out");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            fail("log-queries.py did not finish within 60 s: " + Files.readString(out));
        }
        assertThat(process.exitValue()).as("log-queries.py exit code; it printed: %s", Files.readString(out)).isZero();
        return Files.readAllLines(out);
    }

    /**
     * Appends entries {@code from} to {@code to} (exclusive) in batches of varied sizes over the
     * partitions of {@code at}, one in 7 of contest "other", the rest of "c1"; moves {@code at} on.
     */
    private static List<LogEntry> appendBatches(VoteLog log, Map<Integer, Long> at, int from, int to) {
        List<LogEntry> all = new ArrayList<>();
        int[] sizes = {90, 700, 300, 7};
        for (int n = from, b = 0; n < to; n += sizes[b++ % sizes.length]) {
            List<LogEntry> batch = new ArrayList<>();
            Map<Integer, Long> start = new HashMap<>(at);
            for (int i = n; i < Math.min(to, n + sizes[b % sizes.length]); i++) {
                int partition = i % at.size();
                long offset = at.merge(partition, 1L, Long::sum) - 1;
                batch.add(entry("v" + i, i % 7 == 0 ? "other" : "c1", 1_000_000L + n, partition, offset));
            }
            log.append(TOPIC, batch, start, new HashMap<>(at));
            all.addAll(batch);
        }
        return all;
    }

    @Test
    void shouldKeepTheFurthestPosition() {
        VoteLog log = new VoteLog(freshDatabase("memory"));

        log.append(TOPIC, List.of(), Map.of(), Map.of(0, 10L, 1, 3L));
        log.append(TOPIC, List.of(), Map.of(0, 10L, 1, 3L), Map.of(0, 4L, 1, 5L));

        assertThat(log.positions(TOPIC)).isEqualTo(Map.of(0, 10L, 1, 5L));
        assertThat(log.positions("other")).isEmpty();
    }

    @Test
    void shouldRefuseACursorItDidNotHandOut() {
        VoteLog log = new VoteLog(freshDatabase("memory"));
        String wellFormedButUnknown = Base64.getUrlEncoder().withoutPadding()
                .encodeToString("v1;votes/0/123/4".getBytes(StandardCharsets.UTF_8));
        String garbage = Base64.getUrlEncoder().withoutPadding()
                .encodeToString("2000:c1/a".getBytes(StandardCharsets.UTF_8));

        assertThatThrownBy(() -> log.latest("c1", 10, "not-a-cursor"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the cursor 'not-a-cursor' is not one this API handed out");
        assertThatThrownBy(() -> log.latest("c1", 10, garbage))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the cursor '" + garbage + "' is not one this API handed out");
        assertThatThrownBy(() -> log.latest("c1", 10, wellFormedButUnknown))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the cursor '" + wellFormedButUnknown + "' is not one this API handed out");
    }

    @Test
    void shouldKeepTheLogAndPositionsAcrossARestartOfTheFileBackedServer() {
        // Given a log written to a file-backed server
        Path file = dataDir.resolve("restart").resolve("ovation.mv");
        List<LogEntry> batch = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            batch.add(entry("v" + i, "c1", 1_000 + i, i % 2, i / 2));
        }
        LogPage latestBefore;
        LogPage secondPageBefore;
        Map<Integer, Long> positionsBefore;
        try (EmbeddedMongo server = EmbeddedMongo.start(HOST, LocalPorts.pickFree(HOST), file);
             MongoClient client = StoreClients.mongo(server.uri())) {
            VoteLog log = new VoteLog(client.getDatabase("ovation"));
            log.append(TOPIC, batch, Map.of(0, 0L, 1, 0L), Map.of(0, 20L, 1, 20L));
            latestBefore = log.latest("c1", 15, null);
            secondPageBefore = log.latest("c1", 15, latestBefore.next());
            positionsBefore = log.positions(TOPIC);
        }

        // When the server is started again on the same file
        try (EmbeddedMongo server = EmbeddedMongo.start(HOST, LocalPorts.pickFree(HOST), file);
             MongoClient client = StoreClients.mongo(server.uri())) {
            VoteLog log = new VoteLog(client.getDatabase("ovation"));

            // Then the log, its cursors and its positions are as they were
            LogPage latestAfter = log.latest("c1", 15, null);
            assertThat(latestAfter).isEqualTo(latestBefore);
            assertThat(log.latest("c1", 15, latestBefore.next())).isEqualTo(secondPageBefore);
            assertThat(log.positions(TOPIC)).isEqualTo(positionsBefore).isEqualTo(Map.of(0, 20L, 1, 20L));
            assertThat(log.count("c1")).isEqualTo(40);
            assertThat(latestAfter.entries().get(0)).isEqualTo(batch.get(39));
        }
    }
}
