package dev.ovation.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.SecretKeySelector;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The alerts on Redis and MongoDB read metrics that no role exports: redis_exporter's and Percona's
 * mongodb_exporter's. Every such metric of deploy/prometheus/alerts.yml comes, in every overlay, from an
 * exporter in each pod of the store it watches (one per Redis node and MongoDB member, as the rules'
 * {@code instance} and their ratio of two metrics of one target expect), reading that store over localhost,
 * pinned to a version, and scraped by the base's Prometheus through the pod's annotations, on a port the
 * NetworkPolicies let Prometheus reach. MongoDB's exporter logs in as a user that only monitors, which the
 * init Job creates with the password the exporter is given.
 */
class ExportersTest {

    /** Names in a PromQL expression that may be metrics; string literals are taken out first. */
    private static final Pattern STORE_METRIC = Pattern.compile("\\b(?:redis|mongodb)_[a-zA-Z0-9_]*\\b");
    private static final Pattern STRING_LITERAL = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*'");
    private static final Pattern PINNED = Pattern.compile("v?\\d+\\.\\d+\\.\\d+");
    /** The job names of the roles, which OvationRoleDown and OvationTargetDown count: no exporter may take one. */
    private static final Set<String> ROLE_JOBS = Set.of("ingest", "counter", "results", "ovation");

    /**
     * An exporter: the stores whose pods it must run in (the workloads, whichever the overlay has), the named
     * container port of the store it reads, and the metrics of the rules it produces. The names are the
     * exporters' own: redis_exporter's namespace {@code redis} with {@code up} and INFO's {@code used_memory}
     * and {@code maxmemory} as {@code memory_used_bytes} and {@code memory_max_bytes} (its exporter/exporter.go);
     * mongodb_exporter's {@code mongodb_up}, a ping of its member (its exporter/general_collector.go).
     */
    record Exporter(Set<String> stores, String storePort, Set<String> metrics) {
    }

    /** The exporters by image, without the tag. */
    static final Map<String, Exporter> EXPORTERS = Map.of(
            "oliver006/redis_exporter", new Exporter(Set.of("StatefulSet redis", "StatefulSet redis-cluster"), "redis",
                    Set.of("redis_up", "redis_memory_used_bytes", "redis_memory_max_bytes")),
            "percona/mongodb_exporter", new Exporter(Set.of("StatefulSet mongodb"), "mongodb", Set.of("mongodb_up")));

    static List<String> overlays() {
        return Repository.overlays();
    }

    /** Every metric named redis_* or mongodb_* in the expressions of alerts.yml. */
    static Set<String> storeMetricsOfTheRules() {
        Set<String> metrics = new TreeSet<>();
        AlertRulesTest.alerts().values().forEach(rule -> metrics.addAll(storeMetrics(rule.path("expr").asText())));
        return metrics;
    }

    static Set<String> storeMetrics(String expression) {
        Set<String> metrics = new TreeSet<>();
        Matcher name = STORE_METRIC.matcher(STRING_LITERAL.matcher(expression).replaceAll("\"\""));
        while (name.find()) {
            metrics.add(name.group());
        }
        return metrics;
    }

    @Test
    void shouldFindTheStoreMetricsOfAnExpressionButNotItsStrings() {
        assertThat(storeMetrics("""
                redis_memory_used_bytes / redis_memory_max_bytes > 0.8 and on (instance) mongodb_up{job="redis_up"}
                  unless kubelet_volume_stats_available_bytes{persistentvolumeclaim=~"data-mongodb_[0-9]+"}
                """)).containsExactly("mongodb_up", "redis_memory_max_bytes", "redis_memory_used_bytes");
    }

    @Test
    void shouldKnowAnExporterForEveryStoreMetricTheRulesRead() {
        Set<String> known = EXPORTERS.values().stream().flatMap(e -> e.metrics().stream()).collect(Collectors.toSet());

        assertThat(storeMetricsOfTheRules()).contains("redis_up", "redis_memory_used_bytes", "redis_memory_max_bytes",
                "mongodb_up").allSatisfy(metric -> assertThat(known).as("an exporter of EXPORTERS produces %s", metric)
                .contains(metric));
    }

    /** The metrics of the rules that reach Prometheus: each with the pods that produce it, scraped and reachable. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("overlays")
    void shouldProduceEveryStoreMetricOfTheRulesWherePrometheusScrapesIt(String overlay) {
        Manifests manifests = Kustomize.overlay(overlay);
        Map<String, Set<String>> producers = new TreeMap<>();
        storeMetricsOfTheRules().forEach(metric -> producers.put(metric, new TreeSet<>()));
        for (Manifests.Workload workload : manifests.workloads()) {
            for (Container container : workload.containers()) {
                Exporter exporter = EXPORTERS.get(repository(container.getImage()));
                Integer port = scrapedPort(workload, container);
                boolean reachable = port != null && Policies.admitted(manifests, Policies.peersReaching(manifests, workload, port))
                        .contains("Deployment prometheus");
                if (exporter != null && reachable) {
                    exporter.metrics().stream().filter(producers::containsKey)
                            .forEach(metric -> producers.get(metric).add(workload.name() + "/" + container.getName() + ":" + port));
                }
            }
        }

        assertThat(producers).as("metrics of the rules, by the exporters Prometheus scrapes that produce them").isNotEmpty()
                .allSatisfy((metric, where) -> assertThat(where).as(metric).isNotEmpty());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("overlays")
    void shouldRunAnExporterInEveryPodOfTheStoreItWatchesReadingItOverLocalhost(String overlay) {
        Manifests manifests = Kustomize.overlay(overlay);
        Set<String> needed = storeMetricsOfTheRules();
        EXPORTERS.forEach((image, exporter) -> {
            if (exporter.metrics().stream().noneMatch(needed::contains)) {
                return;
            }
            List<Manifests.Workload> stores = manifests.workloads().stream()
                    .filter(w -> exporter.stores().contains(w.name())).toList();
            Set<String> running = manifests.workloads().stream()
                    .filter(w -> w.containers().stream().anyMatch(c -> image.equals(repository(c.getImage()))))
                    .map(Manifests.Workload::name).collect(Collectors.toCollection(TreeSet::new));

            // one exporter per node or member: in the store's own pods, and nowhere else
            assertThat(stores).as("the stores %s watches", image).hasSize(1);
            assertThat(running).as("the workloads that run %s", image).containsExactly(stores.get(0).name());
            Manifests.Workload store = stores.get(0);
            int storePort = Policies.containerPorts(store).getOrDefault(exporter.storePort(), -1);
            Container container = store.containers().stream().filter(c -> image.equals(repository(c.getImage())))
                    .findFirst().orElseThrow();
            String settings = String.join(" ", container.getArgs()) + " "
                    + container.getEnv().stream().map(e -> String.valueOf(e.getValue())).collect(Collectors.joining(" "));
            assertThat(settings).as("%s in %s reads its own pod's store", image, store.name())
                    .containsPattern("://(localhost|127\\.0\\.0\\.1):" + storePort + "\\b");
        });
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("overlays")
    void shouldScrapeEveryExporterUnderAJobOfItsOwnOnAPortOnlyPrometheusReaches(String overlay) {
        Manifests manifests = Kustomize.overlay(overlay);
        Map<String, String> exporters = new TreeMap<>();
        for (Manifests.Workload workload : manifests.workloads()) {
            for (Container container : workload.containers()) {
                if (!EXPORTERS.containsKey(repository(container.getImage()))) {
                    continue;
                }
                String name = workload.name() + "/" + container.getName();
                Integer port = scrapedPort(workload, container);
                assertThat(port).as("%s: the pod's prometheus.io/port is a port of the exporter", name).isNotNull();
                assertThat(NetworkPolicyTest.reaching(manifests, workload.name(), port)).as("%s:%d reached by", name, port)
                        .containsExactly("Deployment prometheus");
                // job is the pod's app.kubernetes.io/name (the base's scrape configuration)
                exporters.put(name, workload.labels().get("app.kubernetes.io/name"));
            }
        }

        assertThat(exporters).hasSize(2).allSatisfy((exporter, job) ->
                assertThat(job).as("the job of %s", exporter).isNotBlank().isNotIn(ROLE_JOBS));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("overlays")
    void shouldPinEveryExportersImageToARelease(String overlay) {
        List<String> images = Kustomize.overlay(overlay).workloads().stream().flatMap(Manifests.Workload::allContainers)
                .map(Container::getImage).filter(i -> EXPORTERS.containsKey(repository(i))).distinct().toList();

        assertThat(images).hasSize(EXPORTERS.size())
                .allSatisfy(image -> assertThat(image.substring(image.lastIndexOf(':') + 1)).as(image).matches(PINNED));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("overlays")
    void shouldLogTheMongoDbExporterInAsAUserThatOnlyMonitorsAndThatTheInitJobCreates(String overlay) {
        Manifests manifests = Kustomize.overlay(overlay);
        Container exporter = manifests.workload("StatefulSet mongodb").containers().stream()
                .filter(c -> "percona/mongodb_exporter".equals(repository(c.getImage()))).findFirst().orElseThrow();
        String user = Env.of(exporter).get("MONGODB_USER");
        SecretKeySelector password = secretOf(exporter, "MONGODB_PASSWORD");
        Job job = manifests.find(Job.class, "ovation", "mongodb-init").orElseThrow();
        Container init = job.getSpec().getTemplate().getSpec().getContainers().get(0);
        String initVariable = init.getEnv().stream().filter(e -> e.getValueFrom() != null
                        && e.getValueFrom().getSecretKeyRef() != null && sameKey(e.getValueFrom().getSecretKeyRef(), password))
                .map(EnvVar::getName).findFirst().orElse(null);
        String script = manifests.find(ConfigMap.class, "ovation", "mongodb-init").orElseThrow().getData().get("init.sh");

        assertThat(user).as("MONGODB_USER of the exporter").isNotBlank();
        assertThat(password).as("MONGODB_PASSWORD of the exporter, from a Secret").isNotNull();
        assertThat(initVariable).as("the init Job's variable with the exporter's password (%s of Secret %s)",
                password.getKey(), password.getName()).isNotNull();
        Matcher create = Pattern.compile("createUser\\(\\{user: '" + Pattern.quote(user) + "', pwd: process\\.env\\."
                + Pattern.quote(initVariable) + ",\\s*roles: \\[(.*?)]}\\)", Pattern.DOTALL).matcher(script);
        assertThat(create.find()).as("init.sh creates the user %s with the password of %s", user, initVariable).isTrue();
        List<String> roles = new ArrayList<>();
        Matcher role = Pattern.compile("role: '([^']+)', db: '([^']+)'").matcher(create.group(1));
        while (role.find()) {
            roles.add(role.group(1) + "@" + role.group(2));
        }
        // what Percona's exporter needs, and nothing that writes
        assertThat(roles).containsExactlyInAnyOrder("clusterMonitor@admin", "read@local");
    }

    /** The image without its tag or digest. */
    static String repository(String image) {
        String withoutDigest = image.split("@")[0];
        int colon = withoutDigest.lastIndexOf(':');
        return colon > withoutDigest.lastIndexOf('/') ? withoutDigest.substring(0, colon) : withoutDigest;
    }

    /** The port of the pod's prometheus.io/port annotation, when the pod is scraped and that port is this container's. */
    private static Integer scrapedPort(Manifests.Workload workload, Container container) {
        Map<String, String> annotations = workload.template().getMetadata().getAnnotations();
        if (annotations == null || !"true".equals(annotations.get("prometheus.io/scrape"))
                || annotations.get("prometheus.io/port") == null) {
            return null;
        }
        int port = Integer.parseInt(annotations.get("prometheus.io/port"));
        return container.getPorts().stream().map(ContainerPort::getContainerPort).anyMatch(p -> p == port) ? port : null;
    }

    private static SecretKeySelector secretOf(Container container, String variable) {
        return container.getEnv().stream().filter(e -> e.getName().equals(variable) && e.getValueFrom() != null)
                .map(e -> e.getValueFrom().getSecretKeyRef()).findFirst().orElse(null);
    }

    private static boolean sameKey(SecretKeySelector a, SecretKeySelector b) {
        return a.getName().equals(b.getName()) && a.getKey().equals(b.getKey());
    }
}
