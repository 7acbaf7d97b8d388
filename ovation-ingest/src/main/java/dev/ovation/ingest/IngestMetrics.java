package dev.ovation.ingest;

import dev.ovation.model.Protocol;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.errors.TimeoutException;

/**
 * The ingest's meters ({@code docs/metrics.md}): votes accepted and refused by protocol and reason,
 * the time to Kafka's acknowledgement, and sends Kafka did not acknowledge. Every meter is made at
 * start, so recording a vote looks nothing up by name.
 */
final class IngestMetrics {

    /** Why a vote was answered with an error; the {@code reason} label. */
    static final String INVALID = "invalid";
    static final String TOO_LARGE = "too_large";
    static final String NOT_JSON = "unsupported_media_type";
    static final String UNAVAILABLE = "unavailable";
    private static final List<String> REASONS = List.of(INVALID, "unknown_contest", "contest_closed",
            "not_in_catalog", "rate_limited", TOO_LARGE, NOT_JSON, UNAVAILABLE);

    /** Bucket bounds of the acknowledgement histogram: sub-millisecond to the longest ack timeout. */
    private static final Duration[] ACK_BUCKETS = {Duration.ofNanos(500_000), Duration.ofMillis(1),
            Duration.ofMillis(2), Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25),
            Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500),
            Duration.ofSeconds(1), Duration.ofMillis(2_500), Duration.ofSeconds(5), Duration.ofSeconds(10)};

    private final Map<Protocol, Counter> accepted = new EnumMap<>(Protocol.class);
    private final Map<Protocol, Timer> acknowledged = new EnumMap<>(Protocol.class);
    private final Map<Protocol, Map<String, Counter>> refused = new EnumMap<>(Protocol.class);
    private final Counter timeouts;
    private final Counter kafkaFailures;

    IngestMetrics(MeterRegistry registry) {
        for (Protocol protocol : Protocol.values()) {
            accepted.put(protocol, Counter.builder("ovation.votes.accepted")
                    .description("Votes Kafka acknowledged: the client got its receipt")
                    .tag("protocol", protocol.label()).register(registry));
            acknowledged.put(protocol, Timer.builder("ovation.vote.ack")
                    .description("From handing a vote to Kafka to Kafka's acknowledgement")
                    .tag("protocol", protocol.label())
                    .serviceLevelObjectives(ACK_BUCKETS)
                    .register(registry));
            Map<String, Counter> byReason = new HashMap<>();
            for (String reason : REASONS) {
                byReason.put(reason, Counter.builder("ovation.votes.refused")
                        .description("Votes answered with an error; nothing was published")
                        .tag("protocol", protocol.label()).tag("reason", reason).register(registry));
            }
            refused.put(protocol, byReason);
        }
        timeouts = publishFailures(registry, "timeout");
        kafkaFailures = publishFailures(registry, "kafka");
    }

    private static Counter publishFailures(MeterRegistry registry, String reason) {
        return Counter.builder("ovation.publish.failures")
                .description("Votes sent to Kafka that it did not acknowledge")
                .tag("reason", reason).register(registry);
    }

    /** A vote Kafka acknowledged {@code nanos} after it was handed over. */
    void acknowledged(Protocol protocol, long nanos) {
        accepted.get(protocol).increment();
        acknowledged.get(protocol).record(nanos, TimeUnit.NANOSECONDS);
    }

    /** A vote Kafka did not take or did not acknowledge in time. */
    void notStored(Protocol protocol, Throwable error) {
        (error instanceof TimeoutException ? timeouts : kafkaFailures).increment();
        refused(protocol, UNAVAILABLE);
    }

    /** A vote refused for {@code reason}, one of the {@code reason} labels. */
    void refused(Protocol protocol, String reason) {
        refused.get(protocol).get(reason).increment();
    }
}
