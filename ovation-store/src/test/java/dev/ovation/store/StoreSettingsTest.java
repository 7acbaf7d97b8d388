package dev.ovation.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ovation.model.ConfigException;
import dev.ovation.model.Env;
import dev.ovation.model.UnreachableException;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The settings the roles share, read from a plain map: defaults, values, bad values named. */
class StoreSettingsTest {

    @Test
    void shouldPointAtTheEmbeddedServersByDefault() {
        StoreSettings settings = StoreSettings.from(new Env(Map.of()));

        assertThat(settings).isEqualTo(new StoreSettings("127.0.0.1:19092", new VotesTopic("votes", 6, (short) 0),
                "redis://127.0.0.1:16379", "mongodb://127.0.0.1:27027", "ovation"));
    }

    @Test
    void shouldReadEverySettingFromTheEnvironment() {
        StoreSettings settings = StoreSettings.from(new Env(Map.of(
                "OVATION_KAFKA", "kafka-0:9092,kafka-1:9092",
                "OVATION_TOPIC", "night-votes", "OVATION_TOPIC_PARTITIONS", "12", "OVATION_TOPIC_REPLICATION", "3",
                "OVATION_REDIS", "redis://redis:6379",
                "OVATION_MONGO", "mongodb://mongo:27017", "OVATION_MONGO_DATABASE", "night")));

        assertThat(settings).isEqualTo(new StoreSettings("kafka-0:9092,kafka-1:9092",
                new VotesTopic("night-votes", 12, (short) 3), "redis://redis:6379", "mongodb://mongo:27017", "night"));
    }

    @Test
    void shouldNameTheVariableOfABadValue() {
        assertThatThrownBy(() -> StoreSettings.from(new Env(Map.of("OVATION_TOPIC_PARTITIONS", "0"))))
                .isInstanceOf(ConfigException.class)
                .hasMessage("OVATION_TOPIC_PARTITIONS=0 is out of range; expected 1 to 1000");
        assertThatThrownBy(() -> StoreSettings.from(new Env(Map.of("OVATION_TOPIC_REPLICATION", "three"))))
                .isInstanceOf(ConfigException.class)
                .hasMessage("OVATION_TOPIC_REPLICATION=three is not a whole number; expected 0 to 7");
    }

    @Test
    void shouldKeepTheTopicAndDatabaseWhenPointedAtOtherServers() {
        StoreSettings settings = StoreSettings.from(new Env(Map.of("OVATION_TOPIC", "night-votes",
                "OVATION_MONGO_DATABASE", "night")));

        StoreSettings moved = settings.at("127.0.0.1:1", "redis://127.0.0.1:2", "mongodb://127.0.0.1:3");

        assertThat(moved).isEqualTo(new StoreSettings("127.0.0.1:1", settings.votesTopic(), "redis://127.0.0.1:2",
                "mongodb://127.0.0.1:3", "night"));
    }

    @Test
    void shouldSayWhichKafkaDidNotAnswerAndWhichSettingToCheck() {
        IllegalStateException cause = new IllegalStateException("Kafka did not answer within 15000 ms while checking"
                + " topic 'votes'");

        assertThatThrownBy(() -> StoreClients.reachKafka("127.0.0.1:9", () -> {
            throw cause;
        }))
                .isInstanceOf(UnreachableException.class)
                .hasMessage("Kafka at 127.0.0.1:9 is unreachable (Kafka did not answer within 15000 ms while checking"
                        + " topic 'votes'); check OVATION_KAFKA")
                .hasCause(cause);
    }

    @Test
    void shouldGiveWhatTheFirstCallsToKafkaGave() throws InterruptedException {
        assertThat(StoreClients.reachKafka("127.0.0.1:9", () -> "contests")).isEqualTo("contests");
    }
}
