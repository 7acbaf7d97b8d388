package dev.ovation.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.bson.Document;
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
