package dev.ovation.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mongodb.MongoException;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.IntStream;
import org.bson.Document;
import org.bson.RawBsonDocument;
import org.bson.codecs.DocumentCodec;
import org.bson.types.Binary;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.WriteBuffer;
import org.h2.mvstore.type.BasicDataType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The MongoDB-wire server through the official driver, in memory and in an H2 MVStore file. */
class EmbeddedMongoIT {

    private static final String HOST = "127.0.0.1";

    @Test
    void shouldKeepDocumentsInItsFileAcrossARestart(@TempDir Path dir) {
        // Given documents written to a file-backed server, which is then closed
        Path file = dir.resolve("mongo").resolve("ovation.mv");
        try (EmbeddedMongo mongo = EmbeddedMongo.start(HOST, LocalPorts.pickFree(HOST), file);
             MongoClient client = MongoClients.create(mongo.uri())) {
            client.getDatabase("ovation").getCollection("positions")
                    .insertMany(List.of(new Document("_id", "votes/0").append("next", 12L),
                            new Document("_id", "votes/1").append("next", 7L)));
        }

        // When a server starts again on the same file
        try (EmbeddedMongo mongo = EmbeddedMongo.start(HOST, LocalPorts.pickFree(HOST), file);
             MongoClient client = MongoClients.create(mongo.uri())) {

            // Then the documents are there, and the _id index still answers
            assertThat(client.getDatabase("ovation").getCollection("positions").find()
                    .into(new ArrayList<>())).containsExactlyInAnyOrder(
                    new Document("_id", "votes/0").append("next", 12L),
                    new Document("_id", "votes/1").append("next", 7L));
            assertThat(client.getDatabase("ovation").getCollection("positions")
                    .find(new Document("_id", "votes/1")).first()).isEqualTo(
                    new Document("_id", "votes/1").append("next", 7L));
        }
    }

    /**
     * A data file written by the versions that stored documents with H2's default type (Java
     * serialization) opens as it is: its documents read as they were written, and what this version
     * writes (a new document, or an old one changed) is stored as BSON.
     */
    @Test
    void shouldReadAFileOfJavaSerializedDocumentsAndStoreWhatItWritesAsBson(@TempDir Path dir) {
        // Given a file written by the server's H2 backend as it was (documents in Java serialization)
        Path file = dir.resolve("ovation.mv");
        List<Document> kept = List.of(oldDocument("kept/0"), oldDocument("kept/1"));
        List<Document> before = List.of(oldDocument("written/0"), oldDocument("written/1"));
        MongoServer old = new MongoServer(new H2Backend(
                PrefixCommittingH2Backend.storeBuilder(file.toString(), EmbeddedMongo.CACHE_MB).open()));
        int oldPort = LocalPorts.pickFree(HOST);
        old.bind(HOST, oldPort);
        try (MongoClient client = MongoClients.create("mongodb://" + HOST + ":" + oldPort)) {
            client.getDatabase("ovation").getCollection("kept").insertMany(kept);
            client.getDatabase("ovation").getCollection("written").insertMany(before);
        } finally {
            old.shutdownNow();
        }
        assertThat(storedTags(file, "ovation.kept")).containsOnlyKeys("kept/0", "kept/1")
                .doesNotContainValue(BsonDocumentType.BSON);

        // When this version opens it, reads it, changes one document and adds another
        Document added = new Document("_id", "written/2").append("next", 3L);
        try (EmbeddedMongo mongo = EmbeddedMongo.start(HOST, LocalPorts.pickFree(HOST), file);
             MongoClient client = MongoClients.create(mongo.uri())) {
            MongoDatabase db = client.getDatabase("ovation");
            assertThat(db.getCollection("kept").find().into(new ArrayList<>())).containsExactlyElementsOf(kept);
            db.getCollection("written").updateOne(Filters.eq("_id", "written/0"), Updates.set("first", 1_300L));
            db.getCollection("written").insertOne(added);
        }

        // Then, started again, every document reads as written; the changed and the new one are
        // stored as BSON, and those only read keep their Java serialization
        Document changed = new Document(before.get(0)).append("first", 1_300L);
        try (EmbeddedMongo mongo = EmbeddedMongo.start(HOST, LocalPorts.pickFree(HOST), file);
             MongoClient client = MongoClients.create(mongo.uri())) {
            MongoDatabase db = client.getDatabase("ovation");
            assertThat(db.getCollection("kept").find().into(new ArrayList<>())).containsExactlyElementsOf(kept);
            assertThat(db.getCollection("written").find().into(new ArrayList<>()))
                    .containsExactly(changed, before.get(1), added);
            assertThat(db.getCollection("written").find(Filters.eq("_id", "written/1")).first())
                    .isEqualTo(before.get(1));
        }
        assertThat(storedTags(file, "ovation.kept")).containsOnly(Map.entry("kept/0", (byte) 19),
                Map.entry("kept/1", (byte) 19));
        assertThat(storedTags(file, "ovation.written")).containsOnlyKeys("written/0", "written/1", "written/2")
                .containsEntry("written/0", BsonDocumentType.BSON).containsEntry("written/2", BsonDocumentType.BSON);
    }

    /**
     * The size a collection reports is that of its documents in BSON (as MongoDB's {@code collStats}
     * and {@code db.stats()} say), through inserts, updates and deletes, in the file and across a restart.
     */
    @Test
    void shouldReportTheSizeOfItsDocumentsInBson(@TempDir Path dir) {
        Path file = dir.resolve("ovation.mv");
        Document kept = oldDocument("a");
        Document changed = new Document("_id", "b").append("next", 12L).append("name", "x".repeat(300));
        Document updated = new Document("_id", "b").append("next", 12L).append("name", "short");
        try (EmbeddedMongo mongo = EmbeddedMongo.start(HOST, LocalPorts.pickFree(HOST), file);
             MongoClient client = MongoClients.create(mongo.uri())) {
            MongoDatabase db = client.getDatabase("ovation");
            db.getCollection("sized").insertMany(List.of(kept, changed, oldDocument("c")));
            db.getCollection("sized").updateOne(Filters.eq("_id", "b"), Updates.set("name", "short"));
            db.getCollection("sized").deleteOne(Filters.eq("_id", "c"));

            assertThat(db.runCommand(new Document("collStats", "sized")).get("size"))
                    .isEqualTo(bsonSize(kept) + bsonSize(updated));
        }
        try (EmbeddedMongo mongo = EmbeddedMongo.start(HOST, LocalPorts.pickFree(HOST), file);
             MongoClient client = MongoClients.create(mongo.uri())) {
            MongoDatabase db = client.getDatabase("ovation");
            assertThat(db.getCollection("sized").find().into(new ArrayList<>())).containsExactly(kept, updated);
            assertThat(db.runCommand(new Document("collStats", "sized")).get("size"))
                    .isEqualTo(bsonSize(kept) + bsonSize(updated));
        }
    }

    private static int bsonSize(Document document) {
        return new RawBsonDocument(document, new DocumentCodec()).getByteBuffer().remaining();
    }

    /** A document with the kinds of values the vote log holds: sub-documents in a list, dates, both widths of integer, binary. */
    private static Document oldDocument(String id) {
        return new Document("_id", id).append("p", 2).append("first", 1_200L)
                .append("countedAt", new Date(1_700_000_000_000L)).append("contests", List.of("default", "finale"))
                .append("prev", new Document("default", 700L)).append("packed", new Binary(new byte[] {1, 2, 3}))
                .append("entries", List.of(new Document("id", "v1").append("band", "Queen").append("offset", 1_200L),
                        new Document("id", "v2").append("band", "Abba").append("year", null)));
    }

    /** Per document of a collection in a closed file, the first byte it is stored with. */
    private static Map<Object, Byte> storedTags(Path file, String collection) {
        MVStore store = new MVStore.Builder().fileName(file.toString()).readOnly().open();
        try {
            BsonDocumentType documents = new BsonDocumentType();
            BasicDataType<Object> tagged = new BasicDataType<>() {
                @Override
                public int getMemory(Object value) {
                    return 64;
                }

                @Override
                public void write(WriteBuffer buff, Object value) {
                    throw new UnsupportedOperationException("read only");
                }

                @Override
                public Object read(ByteBuffer buff) {
                    byte tag = buff.get(buff.position());
                    documents.read(buff);
                    return tag;
                }

                @Override
                public Object[] createStorage(int size) {
                    return new Object[size];
                }
            };
            MVMap<Object, Object> map = store.openMap(BsonH2Database.DOCUMENTS_MAP_PREFIX + collection,
                    new MVMap.Builder<Object, Object>().valueType(tagged));
            Map<Object, Byte> tags = new TreeMap<>();
            map.forEach((key, tag) -> tags.put(key, (Byte) tag));
            return tags;
        } finally {
            store.close();
        }
    }

    /**
     * A server killed with SIGKILL keeps, of each writer's acknowledged writes, a prefix in the order
     * they were acknowledged, across collections: what the vote log's recovery relies on (a bucket
     * is written before the head and the position that point to it). Four writers each write
     * {@code a}, then {@code b}, then move {@code pos} forward, one acknowledged write after the other.
     */
    @Test
    void shouldKeepAPrefixOfTheAcknowledgedWritesWhenKilled(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("ovation.mv");
        for (int cycle = 0; cycle < 6; cycle++) {
            // Given writers writing in order to a file-backed server in another process
            int port = LocalPorts.pickFree(HOST);
            Process server = startCrashTarget(file, port);
            String prefix = "c" + cycle;
            List<Thread> writers = new ArrayList<>();
            AtomicBoolean stop = new AtomicBoolean();
            try (MongoClient client = MongoClients.create("mongodb://" + HOST + ":" + port)) {
                MongoDatabase db = client.getDatabase("ovation");
                for (int w = 0; w < 4; w++) {
                    String writer = prefix + "-w" + w;
                    Thread t = new Thread(() -> writeInOrder(db, writer, stop));
                    writers.add(t);
                    t.start();
                }
                // When the server is killed while they write
                Thread.sleep(700 + 300L * cycle);
                server.destroyForcibly().waitFor();
                stop.set(true);
                for (Thread t : writers) {
                    t.join();
                }
            }

            // Then, started again on its file, each writer's writes are a prefix: every position
            // points past documents that are there, every b has its a, and no a is missing before another
            try (EmbeddedMongo mongo = EmbeddedMongo.start(HOST, LocalPorts.pickFree(HOST), file);
                 MongoClient client = MongoClients.create(mongo.uri())) {
                MongoDatabase db = client.getDatabase("ovation");
                for (int w = 0; w < 4; w++) {
                    String writer = prefix + "-w" + w;
                    List<Integer> a = indexes(db.getCollection("a"), writer);
                    List<Integer> b = indexes(db.getCollection("b"), writer);
                    Document pos = db.getCollection("pos").find(Filters.eq("_id", writer)).first();
                    int next = pos == null ? 0 : pos.getInteger("next");
                    assertThat(a).as("cycle %d, %s: a", cycle, writer).isEqualTo(range(a.size()));
                    assertThat(b).as("cycle %d, %s: b", cycle, writer).isEqualTo(range(b.size()));
                    assertThat(b.size()).as("cycle %d, %s: b within a", cycle, writer).isLessThanOrEqualTo(a.size());
                    assertThat(next).as("cycle %d, %s: pos within b", cycle, writer).isLessThanOrEqualTo(b.size());
                }
            }
        }
    }

    private static void writeInOrder(MongoDatabase db, String writer, AtomicBoolean stop) {
        String filler = "x".repeat(2_000);
        try {
            for (int i = 0; !stop.get(); i++) {
                db.getCollection("a").insertOne(new Document("_id", writer + "/" + i).append("w", writer)
                        .append("i", i).append("filler", filler));
                db.getCollection("b").insertOne(new Document("_id", writer + "/" + i).append("w", writer)
                        .append("i", i));
                db.getCollection("pos").updateOne(Filters.eq("_id", writer), Updates.max("next", i + 1),
                        new UpdateOptions().upsert(true));
            }
        } catch (MongoException killed) {
            // the server was killed: what it acknowledged is what the test checks
        }
    }

    private static List<Integer> indexes(MongoCollection<Document> collection, String writer) {
        List<Integer> result = new ArrayList<>();
        collection.find(Filters.eq("w", writer)).forEach(d -> result.add(d.getInteger("i")));
        result.sort(null);
        return result;
    }

    private static List<Integer> range(int n) {
        return IntStream.range(0, n).boxed().toList();
    }

    private static Process startCrashTarget(Path file, int port) throws IOException {
        Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), MongoCrashTarget.class.getName(),
                file.toString(), String.valueOf(port))
                .redirectErrorStream(true).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        CompletableFuture<Boolean> ready = CompletableFuture.supplyAsync(() -> {
            try {
                for (String line; (line = out.readLine()) != null; ) {
                    if (line.startsWith("ready ")) {
                        return true;
                    }
                }
                return false;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        try {
            assertThat(ready.get(60, TimeUnit.SECONDS)).as("the server process started").isTrue();
        } catch (InterruptedException | ExecutionException | TimeoutException e) {
            process.destroyForcibly();
            throw new IllegalStateException("the server process did not start", e);
        }
        Thread drain = new Thread(() -> out.lines().forEach(line -> { }));
        drain.setDaemon(true);
        drain.start();
        return process;
    }

    /**
     * A document with a long array of sub-documents (a vote log bucket's entries, which the server
     * keeps as it read them and decodes an entry only when asked for) reads, slices, aggregates and
     * changes as any other, in the file and across a restart.
     */
    @Test
    void shouldReadSliceAggregateAndChangeALongArrayOfSubDocuments(@TempDir Path dir) {
        Path file = dir.resolve("ovation.mv");
        List<Document> entries = IntStream.range(0, 600).mapToObj(i -> new Document("id", "vote-" + i)
                .append("band", i % 3 == 0 ? "Queen" : "Muse").append("offset", (long) i)
                .append("receivedAt", new Date(1_700_000_000_000L + i))).toList();
        Document bucket = new Document("_id", "votes/0/0").append("n", 600).append("entries", entries);
        try (EmbeddedMongo mongo = EmbeddedMongo.start(HOST, LocalPorts.pickFree(HOST), file);
             MongoClient client = MongoClients.create(mongo.uri())) {
            MongoCollection<Document> buckets = client.getDatabase("ovation").getCollection("log_buckets");
            buckets.insertOne(bucket);

            assertThat(buckets.find().first()).isEqualTo(bucket);
            assertThat(buckets.find().projection(new Document("entries", new Document("$slice", -2))).first()
                    .getList("entries", Document.class)).containsExactly(entries.get(598), entries.get(599));
            assertThat(buckets.aggregate(List.of(new Document("$unwind", "$entries"),
                    new Document("$match", new Document("entries.band", "Queen")), new Document("$count", "queen")))
                    .first()).isEqualTo(new Document("queen", 200));

            buckets.updateOne(Filters.eq("_id", "votes/0/0"), Updates.push("entries", new Document("id", "vote-600")));
            buckets.updateOne(Filters.eq("_id", "votes/0/0"), Updates.set("entries.0.band", "Abba"));
        }
        List<Document> changed = new ArrayList<>(entries);
        changed.set(0, new Document(entries.get(0)).append("band", "Abba"));
        changed.add(new Document("id", "vote-600"));
        try (EmbeddedMongo mongo = EmbeddedMongo.start(HOST, LocalPorts.pickFree(HOST), file);
             MongoClient client = MongoClients.create(mongo.uri())) {
            assertThat(client.getDatabase("ovation").getCollection("log_buckets").find().first())
                    .isEqualTo(new Document("_id", "votes/0/0").append("n", 600).append("entries", changed));
        }
    }

    @Test
    void shouldForgetEverythingInMemoryAtClose() {
        int port = LocalPorts.pickFree(HOST);
        try (EmbeddedMongo mongo = EmbeddedMongo.start(HOST, port);
             MongoClient client = MongoClients.create(mongo.uri())) {
            client.getDatabase("ovation").getCollection("positions").insertOne(new Document("_id", "votes/0"));
        }

        try (EmbeddedMongo mongo = EmbeddedMongo.start(HOST, LocalPorts.pickFree(HOST));
             MongoClient client = MongoClients.create(mongo.uri())) {
            assertThat(client.getDatabase("ovation").getCollection("positions").countDocuments()).isZero();
        }
    }

    @Test
    void shouldRefuseAFileAnotherServerHolds(@TempDir Path dir) {
        Path file = dir.resolve("ovation.mv");
        try (EmbeddedMongo first = EmbeddedMongo.start(HOST, LocalPorts.pickFree(HOST), file)) {
            int port = LocalPorts.pickFree(HOST);

            assertThatThrownBy(() -> EmbeddedMongo.start(HOST, port, file))
                    .isInstanceOf(InfrastructureStartException.class)
                    .hasMessageStartingWith("MongoDB could not start on " + HOST + ":" + port
                            + ": cannot open its data file " + file + ": ");
        }
    }
}
