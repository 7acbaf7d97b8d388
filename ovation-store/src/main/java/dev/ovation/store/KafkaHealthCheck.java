package dev.ovation.store;

import dev.ovation.model.HealthCheck;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;

/** Kafka is ready when the cluster answers a metadata request within two seconds. */
public final class KafkaHealthCheck implements HealthCheck {

    private final Admin admin;

    public KafkaHealthCheck(Admin admin) {
        this.admin = admin;
    }

    @Override
    public String name() {
        return "kafka";
    }

    @Override
    public void check() throws Exception {
        admin.describeCluster().nodes().get(2, TimeUnit.SECONDS);
    }
}
