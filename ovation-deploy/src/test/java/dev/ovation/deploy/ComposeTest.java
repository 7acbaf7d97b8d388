package dev.ovation.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ovation.launcher.Main;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

/**
 * docker-compose.yml, read statically (no Docker engine needed): it runs the roles as the Kubernetes
 * manifests do, with the same image, ports and OVATION_* variables, and its files exist.
 */
class ComposeTest {

    static JsonNode compose() {
        return Kustomize.parse(Repository.read("docker-compose.yml")).get(0);
    }

    static JsonNode service(String name) {
        JsonNode service = compose().path("services").path(name);
        assertThat(service.isObject()).as("docker-compose.yml has a service %s", name).isTrue();
        return service;
    }

    /** The environment of a Compose service, whichever of the two forms it is written in. */
    static Map<String, String> environment(JsonNode service) {
        Map<String, String> env = new TreeMap<>();
        JsonNode environment = service.path("environment");
        if (environment.isArray()) {
            environment.forEach(item -> {
                String[] pair = item.asText().split("=", 2);
                env.put(pair[0], pair.length > 1 ? pair[1] : null);
            });
        } else {
            environment.fields().forEachRemaining(e -> env.put(e.getKey(), e.getValue().asText()));
        }
        return env;
    }

    /** The container side of each published port ("8080:8080", "127.0.0.1:8080:8080/tcp", or long form). */
    static Set<Integer> containerPorts(JsonNode service) {
        Set<Integer> ports = new TreeSet<>();
        for (JsonNode port : service.path("ports")) {
            if (port.isObject()) {
                ports.add(port.path("target").asInt());
            } else {
                String[] parts = port.asText().replaceAll("/(tcp|udp)$", "").split(":");
                ports.add(Integer.parseInt(parts[parts.length - 1]));
            }
        }
        for (JsonNode port : service.path("expose")) {
            ports.add(Integer.parseInt(port.asText().replaceAll("/(tcp|udp)$", "")));
        }
        return ports;
    }

    static List<String> roles() {
        return RoleContract.commands();
    }

    /** A value as Compose reads it with every variable unset: {@code ${VAR:-default}} is the default. */
    static String unset(String value) {
        return value.replaceAll("\\$\\{[A-Z0-9_]+:?-([^}]*)}", "$1");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("roles")
    void shouldRunTheRoleFromTheManifestsImageWhichItBuilds(String role) {
        JsonNode service = service(role);
        Container container = RoleEnvironmentTest.roleContainer(Kustomize.overlay("dev"), role);

        assertThat(unset(service.path("image").asText())).isEqualTo(container.getImage());
        assertThat(service.path("build").asText()).as("built from the Dockerfile when missing").isEqualTo(".");
        assertThat(service.path("command").get(0).asText()).isEqualTo(role);
        assertThat(service.path("read_only").asBoolean()).as("read-only root, as on Kubernetes").isTrue();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("roles")
    void shouldPublishTheManagementPortsOnLoopbackOnly(String role) {
        Container container = RoleEnvironmentTest.roleContainer(Kustomize.overlay("dev"), role);
        Set<Integer> management = container.getPorts().stream().filter(p -> "management".equals(p.getName()))
                .map(ContainerPort::getContainerPort).collect(Collectors.toSet());
        Map<Integer, String> published = new TreeMap<>();
        for (JsonNode port : service(role).path("ports")) {
            String[] parts = port.asText().replaceAll("/(tcp|udp)$", "").split(":");
            published.put(Integer.parseInt(parts[parts.length - 1]), parts.length == 3 ? parts[0] : "0.0.0.0");
        }

        // the admin API and /metrics are for this machine; the public ports for everyone
        published.forEach((port, host) -> assertThat(host).as("%s port %d published on", role, port)
                .isEqualTo(management.contains(port) ? "127.0.0.1" : "0.0.0.0"));
        assertThat(published.keySet()).containsAll(management);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("roles")
    void shouldGiveEveryRoleAsLongToStopAsOnKubernetes(String role) {
        Long grace = Kustomize.overlay("dev").find(Deployment.class, "ovation", role)
                .orElseThrow().getSpec().getTemplate().getSpec().getTerminationGracePeriodSeconds();
        String compose = service(role).path("stop_grace_period").asText("10s");

        // Docker's default is 10 s, Kubernetes' 30 s; the roles that drain or leave a group set their own
        assertThat(compose).isEqualTo((grace == null ? 30 : grace) + "s");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("roles")
    void shouldPublishTheSameContainerPortsAsTheManifests(String role) {
        for (String overlay : Repository.overlays()) {
            Set<Integer> manifest = RoleEnvironmentTest.roleContainer(Kustomize.overlay(overlay), role).getPorts()
                    .stream().map(ContainerPort::getContainerPort).collect(Collectors.toCollection(TreeSet::new));
            assertThat(containerPorts(service(role))).as("%s ports, against overlay %s", role, overlay).isEqualTo(manifest);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("roles")
    void shouldSetTheSameOvationVariablesAsTheManifests(String role) {
        Set<String> compose = environment(service(role)).keySet().stream().filter(n -> n.startsWith("OVATION_"))
                .collect(Collectors.toCollection(TreeSet::new));
        for (String overlay : Repository.overlays()) {
            Set<String> manifest = new TreeSet<>(Env.ovation(RoleEnvironmentTest.roleContainer(Kustomize.overlay(overlay), role)).keySet());
            assertThat(compose).as("%s OVATION_* variables, against overlay %s", role, overlay).isEqualTo(manifest);
        }
        assertThat(compose).isSubsetOf(RoleContract.of(role).variablesRead());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("roles")
    void shouldPointEveryRoleAtTheComposeServices(String role) {
        Map<String, String> env = environment(service(role));
        Set<String> services = new HashSet<>();
        compose().path("services").fieldNames().forEachRemaining(services::add);

        for (String variable : RoleContract.of(role).variablesDefaultingToLocalhost()) {
            assertThat(env).as(role).containsKey(variable);
            String host = env.get(variable).replaceFirst("^[a-z]+://", "").split("[:/,]")[0];
            assertThat(services).as("%s %s=%s names a service", role, variable, env.get(variable)).contains(host);
        }
        if (env.containsKey("OVATION_MONGO")) {
            assertThat(env.get("OVATION_MONGO")).contains("w=majority");
        }
        if (env.containsKey("OVATION_TOPIC_PARTITIONS")) {
            int partitions = Kustomize.overlay("dev").find(KafkaTopic.class,
                    RoleEnvironmentTest.NAMESPACE, "votes").orElseThrow().getSpec().getPartitions();
            assertThat(Integer.parseInt(env.get("OVATION_TOPIC_PARTITIONS"))).as("partitions, as on Kubernetes")
                    .isEqualTo(partitions);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("roles")
    void shouldSetValuesTheRolesOwnConfigurationAccepts(String role) {
        Map<String, String> env = new TreeMap<>();
        // ${VAR:-default} as Compose reads it with VAR unset
        environment(service(role)).forEach((name, value) -> env.put(name, unset(value)));

        Object config = RoleContract.of(role).readConfiguration(env);

        assertThat(config.toString()).contains("kafka:9092");
    }

    @Test
    void shouldKeepTheLoadGeneratorBehindAProfileWithOptionsItKnows() {
        JsonNode loadgen = service("loadgen");
        assertThat(loadgen.path("profiles").isEmpty()).as("loadgen starts only when asked for").isFalse();
        Iterator<JsonNode> command = loadgen.path("command").iterator();
        assertThat(command.next().asText()).isEqualTo("loadgen");

        CommandLine cli = new CommandLine(new Main()).getSubcommands().get("loadgen");
        Set<String> known = new HashSet<>();
        cli.getCommandSpec().options().forEach(o -> known.addAll(List.of(o.names())));
        List<String> unknown = new ArrayList<>();
        command.forEachRemaining(arg -> {
            String option = arg.asText().split("=", 2)[0];
            if (option.startsWith("-") && !known.contains(option)) {
                unknown.add(option);
            }
        });
        assertThat(unknown).as("options ovation loadgen does not have").isEmpty();
    }

    @Test
    void shouldScrapeEveryRoleOnItsPortFromTheComposePrometheus() {
        JsonNode config = Kustomize.parse(Repository.read("deploy/compose/prometheus.yml")).get(0);
        Set<String> targets = new TreeSet<>();
        config.path("scrape_configs").forEach(job -> job.path("static_configs").forEach(sc ->
                sc.path("targets").forEach(t -> targets.add(job.path("job_name").asText() + "=" + t.asText()))));

        // each role's /metrics is on its management port (the counter's one port)
        assertThat(targets).contains("ingest=ingest:8081", "counter=counter:8090", "results=results:8089")
                .doesNotContain("ingest=ingest:8080", "results=results:8088");
        assertThat(service("prometheus").path("volumes").toString()).contains("./deploy/compose/prometheus.yml:");
    }

    @Test
    void shouldMountOnlyFilesThatExist() {
        List<String> missing = new ArrayList<>();
        compose().path("services").fields().forEachRemaining(service -> service.getValue().path("volumes").forEach(v -> {
            String source = v.isObject() ? v.path("source").asText() : v.asText().split(":")[0];
            if (source.startsWith("./") && !Files.exists(Repository.path(source.substring(2)))) {
                missing.add(service.getKey() + ": " + source);
            }
        }));
        assertThat(missing).isEmpty();
    }

    @Test
    void shouldProvisionGrafanaWithTheRedisPluginItsDataSourceNeedsPinnedAsOnKubernetes() {
        JsonNode grafana = service("grafana");
        String datasources = Repository.read("deploy/grafana/provisioning/datasources/ovation.yaml");
        String url = GrafanaOfflineTest.pluginUrl(Kustomize.overlay("dev"));

        // id@version@url, the zip the manifests' init container unpacks
        assertThat(datasources).contains("type: redis-datasource");
        assertThat(unset(environment(grafana).get("GF_PLUGINS_PREINSTALL_SYNC")))
                .isEqualTo("redis-datasource@" + GrafanaOfflineTest.version(url) + "@" + url);
    }
}
