package dev.ovation.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How the dashboard's test reads a Grafana dashboard, without Prometheus or Redis. */
class GrafanaDashboardTest {

    @TempDir
    Path dir;

    @Test
    void shouldReadEveryTargetIncludingThoseOfACollapsedRowAndThePanelsDataSource() throws IOException {
        // Given a panel whose target names its data source, one whose target inherits the panel's,
        // and a collapsed row holding a Redis panel
        GrafanaDashboard dashboard = GrafanaDashboard.read(write("""
                {"title": "t", "panels": [
                  {"title": "rate", "datasource": {"type": "prometheus", "uid": "p"},
                   "targets": [{"refId": "A", "expr": "rate(x[$__rate_interval])"}]},
                  {"title": "mixed", "targets": [{"refId": "B", "datasource": {"type": "prometheus", "uid": "p"}, "expr": "up"}]},
                  {"title": "row", "type": "row", "collapsed": true, "panels": [
                    {"title": "board", "datasource": {"type": "redis-datasource", "uid": "r"},
                     "targets": [{"refId": "A", "type": "command", "command": "hgetall", "keyName": "k:$contest"}]}]}],
                 "templating": {"list": [
                   {"name": "contest", "type": "query", "datasource": {"type": "prometheus", "uid": "p"},
                    "query": {"qryType": 1, "query": "label_values(m, contest)"}},
                   {"name": "step", "type": "interval", "query": "1m"}]}}
                """));

        // Then every target is found, with its panel and data source
        assertThat(dashboard.prometheusQueries()).containsExactly(
                new GrafanaDashboard.PromQuery("rate", "A", "rate(x[$__rate_interval])"),
                new GrafanaDashboard.PromQuery("mixed", "B", "up"));
        assertThat(dashboard.redisQueries()).containsExactly(new GrafanaDashboard.RedisQuery("board", "A", "hgetall", "k:$contest"));
        assertThat(dashboard.variables()).containsExactly(
                new GrafanaDashboard.Variable("contest", "prometheus", "p", "label_values(m, contest)"));
        assertThat(dashboard.dataSources()).containsExactlyInAnyOrder(
                new GrafanaDashboard.DataSourceRef("prometheus", "p"), new GrafanaDashboard.DataSourceRef("redis-datasource", "r"));
    }

    @Test
    void shouldRefuseATargetOfADataSourceItCannotQuery() throws IOException {
        Path file = write("""
                {"panels": [{"title": "logs", "datasource": {"type": "loki", "uid": "l"}, "targets": [{"refId": "A", "expr": "{app=\\"x\\"}"}]}]}
                """);

        assertThatThrownBy(() -> GrafanaDashboard.read(file)).hasMessageContaining("\"logs\"").hasMessageContaining("'loki'");
    }

    @Test
    void shouldRefuseARedisTargetWithoutAKey() throws IOException {
        Path file = write("""
                {"panels": [{"title": "board", "datasource": {"type": "redis-datasource", "uid": "r"},
                             "targets": [{"refId": "A", "type": "command", "command": "hgetall"}]}]}
                """);

        assertThatThrownBy(() -> GrafanaDashboard.read(file)).hasMessageContaining("'keyName'");
    }

    @Test
    void shouldSubstituteEveryVariableSyntaxAndNameTheUnknownOnes() {
        Map<String, String> values = Map.of("contest", "gala", "__rate_interval", "5m");

        assertThat(GrafanaDashboard.substitute("x{c=\"$contest\"}[$__rate_interval] ${contest} ${contest:raw} [[contest]]", values))
                .isEqualTo("x{c=\"gala\"}[5m] gala gala gala");
        assertThatThrownBy(() -> GrafanaDashboard.substitute("rate(x[$__rate_intervall]) $band", values))
                .hasMessageContaining("[__rate_intervall, band]");
    }

    private Path write(String json) throws IOException {
        return Files.writeString(dir.resolve("dashboard.json"), json);
    }
}
