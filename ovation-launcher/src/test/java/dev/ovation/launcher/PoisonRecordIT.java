package dev.ovation.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ovation.model.Vote;
import dev.ovation.model.VoteEnvelope;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Records the counter cannot count (bytes that are no vote, a vote that breaks the rules) are set
 * aside in the dead-letter topic with their position and reason, shown in the results, and
 * counting goes on: no partition stalls, every good vote is counted.
 *
 * <p>On the shared standalone: the dead letters of every test are listed together, so what this
 * test reads of them is the difference from what they held when it began; its contest is its own.
 */
@ExtendWith(SharedPipeline.class)
class PoisonRecordIT {

    private static final int PARTITIONS = 6;

    @Test
    void shouldSetPoisonAsideAndCountEveryGoodVoteAfterIt(Pipeline ovation, TestContest contest) throws Exception {
        OvationClients clients = ovation.clients();
        JsonNode lettersBefore = clients.getResults("/api/dead-letters").body();
        // Given, in every partition, bytes that are no vote and a vote with a 201-character band, written past
        // the ingest
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, ovation.infra().kafkaBootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new ByteArraySerializer())) {
            List<Future<RecordMetadata>> sent = new ArrayList<>();
            for (int partition = 0; partition < PARTITIONS; partition++) {
                sent.add(producer.send(new ProducerRecord<>("votes", partition, "x",
                        "{\"band\":\"not protobuf\"}".getBytes(StandardCharsets.UTF_8))));
                Vote tooLong = new Vote("poison-" + partition, contest.id(), "x".repeat(201), "Jazz", "", "", "");
                sent.add(producer.send(new ProducerRecord<>("votes", partition, contest.id() + "/poison-" + partition,
                        new VoteEnvelope(tooLong, "http", System.currentTimeMillis(), 0).encode())));
            }
            for (Future<RecordMetadata> ack : sent) {
                ack.get(30, TimeUnit.SECONDS);
            }
        }

        // When 60 good votes follow them
        for (int i = 0; i < 60; i++) {
            OvationClients.Answer answer = clients.postNow("/api/votes",
                    "{\"id\":\"good-" + i + "\",\"contest\":\"" + contest.id() + "\",\"band\":\"Queen\",\"album\":\"Jazz\"}");
            assertThat(answer.status()).isEqualTo(202);
        }

        // Then every good vote is counted, exactly
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(
                clients.getResults(contest.path("/results")).body().get("total").asLong()).isEqualTo(60));
        // And the 12 poison records are set aside, each once, with where they were and why
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            JsonNode letters = clients.getResults("/api/dead-letters").body();
            assertThat(letters.get("count").asInt() - lettersBefore.get("count").asInt()).isEqualTo(12);
            assertThat(letters.get("byReason").path("undecodable").asInt()
                    - lettersBefore.get("byReason").path("undecodable").asInt()).isEqualTo(6);
            assertThat(letters.get("byReason").path("invalid_vote").asInt()
                    - lettersBefore.get("byReason").path("invalid_vote").asInt()).isEqualTo(6);
        });
        JsonNode letters = clients.getResults("/api/dead-letters").body();
        JsonNode invalid = null;
        for (JsonNode letter : letters.get("latest")) {
            assertThat(letter.get("topic").asText()).isEqualTo("votes");
            assertThat(letter.get("offset").asLong()).isNotNegative();
            if (letter.get("reason").asText().equals("invalid_vote") && letter.path("contest").asText().equals(contest.id())) {
                invalid = letter;
            }
        }
        assertThat(invalid).isNotNull();
        assertThat(invalid.get("contest").asText()).isEqualTo(contest.id());
        assertThat(invalid.get("detail").asText()).isEqualTo("band: band is 201 characters long; the most is 200");
        // And the contest's results say how many of its records were set aside
        assertThat(clients.getResults(contest.path("/results")).body().get("deadLetters").asLong())
                .isEqualTo(6);
        assertThat(clients.getResults(contest.path("/logs?limit=100")).body().get("entries")).hasSize(60);
    }
}
