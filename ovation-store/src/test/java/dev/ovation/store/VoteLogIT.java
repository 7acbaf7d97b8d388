package dev.ovation.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mongodb.client.MongoClient;
import dev.ovation.infra.EmbeddedMongo;
import dev.ovation.infra.LocalPorts;
import dev.ovation.model.Vote;
import dev.ovation.model.VoteEnvelope;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The vote log against a MongoDB-wire server through the official driver. */
class VoteLogIT {

    private static EmbeddedMongo server;
    private static MongoClient mongo;
    private VoteLog log;

    @BeforeAll
    static void startMongo() {
        server = EmbeddedMongo.start("127.0.0.1", LocalPorts.pickFree("127.0.0.1"));
        mongo = StoreClients.mongo(server.uri());
    }

    @AfterAll
    static void stopMongo() {
        mongo.close();
        server.close();
    }

    @BeforeEach
    void emptyLog() {
        mongo.getDatabase("test").drop();
        log = new VoteLog(mongo.getDatabase("test")).ensureIndexes();
    }

    private static LogEntry entry(String id, long countedAt, int partition, long offset) {
        return LogEntry.of(new QueuedVote(new VoteEnvelope(new Vote(id, "c1", "Queen", "Jazz", "1978", "1", "v"),
                "grpc", 500, 0), partition, offset), new CountOutcome(true, true, countedAt));
    }

    @Test
    void shouldWriteEachEntryOnceHoweverOftenAppended() {
        List<LogEntry> entries = List.of(entry("a", 1_000, 0, 0), entry("b", 1_000, 0, 1));

        log.append("votes", entries, Map.of(0, 2L));
        log.append("votes", entries, Map.of(0, 2L));

        assertThat(log.count("c1")).isEqualTo(2);
        assertThat(log.positions("votes")).isEqualTo(Map.of(0, 2L));
    }

    @Test
    void shouldKeepTheFurthestPosition() {
        log.append("votes", List.of(), Map.of(0, 10L, 1, 3L));
        log.append("votes", List.of(), Map.of(0, 4L, 1, 5L));

        assertThat(log.positions("votes")).isEqualTo(Map.of(0, 10L, 1, 5L));
        assertThat(log.positions("other")).isEmpty();
    }

    @Test
    void shouldPageThroughTheLatestEntriesNewestFirst() {
        List<LogEntry> entries = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            // several votes share a counted-at time, as in one batch
            entries.add(entry("v" + (char) ('a' + i), 1_000 + i / 10, 0, i));
        }
        log.append("votes", entries, Map.of(0, 25L));

        LogPage first = log.latest("c1", 10, null);
        LogPage second = log.latest("c1", 10, first.next());
        LogPage third = log.latest("c1", 10, second.next());

        List<String> seen = new ArrayList<>();
        for (LogPage page : List.of(first, second, third)) {
            page.entries().forEach(e -> seen.add(e.id()));
        }
        assertThat(first.entries()).hasSize(10);
        assertThat(third.entries()).hasSize(5);
        assertThat(third.next()).isNull();
        assertThat(seen).doesNotHaveDuplicates().hasSize(25);
        assertThat(seen.get(0)).isEqualTo("vy");
        assertThat(seen.get(24)).isEqualTo("va");
        LogEntry newest = first.entries().get(0);
        assertThat(newest).isEqualTo(entries.get(24));
    }

    @Test
    void shouldRefuseACursorItDidNotHandOut() {
        assertThatThrownBy(() -> log.latest("c1", 10, "not-a-cursor"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the cursor 'not-a-cursor' is not one this API handed out");
    }
}
