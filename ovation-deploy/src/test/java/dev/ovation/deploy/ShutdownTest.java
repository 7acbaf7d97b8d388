package dev.ovation.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSpec;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A rollout or a scale-down loses no call: the ingest drains (not ready, still serving) for
 * OVATION_DRAIN_SECONDS while the Gateway and the Services drop it, then finishes its calls and flushes its
 * producer, all before the kubelet's SIGKILL; the counter finishes its batch and leaves its group in time.
 */
class ShutdownTest {

    /** What the ingest does after the drain, at most: finish the calls in flight and flush the producer (ack timeout 5 s). */
    static final int INGEST_AFTER_DRAIN_SECONDS = 30;
    /**
     * The counter's stop: its counting thread gets 15 s to finish the batch and leave the group (CounterService),
     * Redis's client up to 15 s to shut down, and 15 s for MongoDB's, Kafka's admin client and the JVM's exit.
     */
    static final int COUNTER_STOP_SECONDS = 15 + 15 + 15;

    static List<String> overlays() {
        return Repository.overlays();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("overlays")
    void shouldDrainTheIngestBeforeItStopsAndStopBeforeTheKubeletKillsIt(String overlay) {
        Manifests.Workload ingest = Kustomize.overlay(overlay).workload("Deployment ingest");
        PodSpec pod = ingest.template().getSpec();
        Container container = ingest.containers().get(0);
        assertThat(Env.of(container)).containsKey("OVATION_DRAIN_SECONDS");
        assertThat(pod.getTerminationGracePeriodSeconds()).as("terminationGracePeriodSeconds").isNotNull();
        int drain = Integer.parseInt(Env.of(container).get("OVATION_DRAIN_SECONDS"));
        long grace = pod.getTerminationGracePeriodSeconds();
        var readiness = container.getReadinessProbe();

        assertThat(Map.of("drain", (long) drain, "grace", grace)).isEqualTo(Map.of("drain", 10L, "grace", 40L));
        assertThat(grace - drain).as("seconds left after the drain").isGreaterThanOrEqualTo(INGEST_AFTER_DRAIN_SECONDS);
        // even a Gateway that follows readiness rather than the pod's termination has dropped it by the drain's end
        assertThat(readiness.getPeriodSeconds() * readiness.getFailureThreshold()).isLessThanOrEqualTo(drain);
        // the drain is the process's own: no preStop exec, which the image (no shell) could not run
        assertThat(container.getLifecycle() == null || container.getLifecycle().getPreStop() == null
                || container.getLifecycle().getPreStop().getExec() == null).isTrue();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("overlays")
    void shouldGiveTheCounterTimeToFinishItsBatchAndLeaveItsGroup(String overlay) {
        PodSpec pod = Kustomize.overlay(overlay).workload("Deployment counter").template().getSpec();

        assertThat(pod.getTerminationGracePeriodSeconds()).isGreaterThanOrEqualTo(COUNTER_STOP_SECONDS);
    }
}
