package dev.ovation.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The Grafana provisioning of {@code deploy/grafana} holds together: the dashboard names only the
 * data sources provisioned beside it, and the Redis Cluster variant of the data sources differs
 * from the plain one by the Redis client alone. What the dashboard's queries find is
 * {@link DashboardIT}'s part.
 */
class GrafanaProvisioningTest {

    private static final Path GRAFANA = Path.of("..", "deploy", "grafana");
    private static final Path DATASOURCES = GRAFANA.resolve(Path.of("provisioning", "datasources", "ovation.yaml"));
    private static final Path CLUSTER_DATASOURCES = GRAFANA.resolve(Path.of("redis-cluster", "ovation.yaml"));
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    @Test
    void shouldNameOnlyTheProvisionedDataSources() throws IOException {
        GrafanaDashboard dashboard = GrafanaDashboard.read(GRAFANA.resolve(Path.of("dashboards", "ovation-live.json")));

        Set<GrafanaDashboard.DataSourceRef> provisioned = new HashSet<>();
        YAML.readTree(DATASOURCES.toFile()).path("datasources").forEach(ds ->
                provisioned.add(new GrafanaDashboard.DataSourceRef(ds.path("type").asText(), ds.path("uid").asText())));

        assertThat(provisioned).containsExactlyInAnyOrder(
                new GrafanaDashboard.DataSourceRef(GrafanaDashboard.PROMETHEUS, "ovation-prometheus"),
                new GrafanaDashboard.DataSourceRef(GrafanaDashboard.REDIS, "ovation-redis"));
        assertThat(dashboard.dataSources()).isEqualTo(provisioned);
        assertThat(dashboard.title()).isEqualTo("Ovation — live votes");
    }

    @Test
    void shouldDifferForARedisClusterOnlyByTheRedisClient() throws IOException {
        JsonNode plain = YAML.readTree(DATASOURCES.toFile());
        JsonNode cluster = YAML.readTree(CLUSTER_DATASOURCES.toFile());

        assertThat(redisJsonData(plain).remove("client").asText()).isEqualTo("standalone");
        assertThat(redisJsonData(cluster).remove("client").asText()).isEqualTo("cluster");
        assertThat(cluster).isEqualTo(plain);
    }

    private static ObjectNode redisJsonData(JsonNode datasources) {
        for (JsonNode ds : datasources.path("datasources")) {
            if (GrafanaDashboard.REDIS.equals(ds.path("type").asText())) {
                return (ObjectNode) ds.path("jsonData");
            }
        }
        throw new AssertionError("no Redis data source in " + datasources);
    }
}
