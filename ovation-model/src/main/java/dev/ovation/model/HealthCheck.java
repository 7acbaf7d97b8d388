package dev.ovation.model;

/**
 * One dependency a service needs to do its work (Kafka, Redis, MongoDB), checked by the service's
 * {@code /health/ready} endpoint.
 */
public interface HealthCheck {

    /** The dependency's name in the readiness report, e.g. {@code kafka}. */
    String name();

    /**
     * Checks the dependency within a short, bounded time.
     *
     * @throws Exception describing why the dependency does not work
     */
    void check() throws Exception;

    /** What a check does: returns when the dependency works, throws saying why not. */
    @FunctionalInterface
    interface Probe {
        void run() throws Exception;
    }

    /** A check named {@code name} that runs {@code probe}. */
    static HealthCheck of(String name, Probe probe) {
        return new HealthCheck() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public void check() throws Exception {
                probe.run();
            }
        };
    }
}
