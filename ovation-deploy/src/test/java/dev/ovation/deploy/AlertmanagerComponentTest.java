package dev.ovation.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * deploy/k8s/components/alertmanager, added to overlays/prod as an overlay of one's own adds it: the base's
 * Prometheus sends its alerts to the component's Service, which reaches the Alertmanager's port; its
 * configuration is otherwise the base's, and it restarts to read it. Alertmanager routes every severity of
 * the rules to a receiver whose webhook address is a file of the Secret docs/kubernetes.md has you create;
 * only Prometheus reaches it; it runs as the restricted Pod Security standard asks, probed and bounded, from
 * a pinned image. Without the component Prometheus sends alerts nowhere.
 */
class AlertmanagerComponentTest {

    static final String COMPONENT = "deploy/k8s/components/alertmanager";
    private static final Pattern SEVERITY_MATCHER = Pattern.compile("^severity\\s*=\\s*\"?([a-z]+)\"?$");

    static Manifests prodWithAlertmanager() {
        return Kustomize.withComponent("prod", COMPONENT);
    }

    @Test
    void shouldAddAnAlertmanagerWithItsServiceConfigurationAndPolicyParsedStrictly() {
        Manifests manifests = prodWithAlertmanager();
        Set<String> before = Kustomize.overlay("prod").documents().stream().map(AlertmanagerComponentTest::id)
                .collect(Collectors.toSet());
        List<JsonNode> added = manifests.documents().stream().filter(d -> !before.contains(id(d))).toList();

        // parses strictly, or fails naming the field
        added.forEach(StrictModel::parse);
        assertThat(added.stream().map(d -> StrictModel.typeOf(d) + " " + d.at("/metadata/name").asText()
                .replaceFirst("-[a-z0-9]{10}$", "-<hash>")).sorted())
                .containsExactly(
                        "apps/v1/Deployment alertmanager",
                        "networking.k8s.io/v1/NetworkPolicy alertmanager",
                        "v1/ConfigMap alertmanager-config-<hash>",
                        "v1/Service alertmanager");
        assertThat(added).allSatisfy(d -> assertThat(d.at("/metadata/namespace").asText()).isEqualTo("ovation"));
        assertThat(manifests.documents()).as("the build-only ConfigMap prometheus-alerting is not applied")
                .noneMatch(d -> d.at("/metadata/name").asText().equals("prometheus-alerting"));
    }

    @Test
    void shouldSendPrometheussAlertsToTheComponentsServiceAndPort() {
        Manifests manifests = prodWithAlertmanager();
        List<String> targets = RenderedPrometheus.of(manifests).alertmanagerTargets();

        assertThat(targets).hasSize(1);
        String[] hostPort = targets.get(0).split(":");
        assertThat(hostPort).as("host:port of %s", targets.get(0)).hasSize(2);
        // a name without dots is a Service of Prometheus's own namespace
        Service service = manifests.find(Service.class, "ovation", hostPort[0]).orElse(null);
        assertThat(service).as("the Service %s in Prometheus's namespace", hostPort[0]).isNotNull();
        ServicePort port = service.getSpec().getPorts().stream().filter(p -> p.getPort() == Integer.parseInt(hostPort[1]))
                .findFirst().orElse(null);
        assertThat(port).as("port %s of Service %s", hostPort[1], hostPort[0]).isNotNull();
        List<Manifests.Workload> selected = manifests.workloads().stream()
                .filter(w -> Labels.matches(service.getSpec().getSelector(), w.labels())).toList();
        assertThat(selected).extracting(Manifests.Workload::name).containsExactly("Deployment alertmanager");
        Manifests.Workload alertmanager = selected.get(0);
        assertThat(WiringTest.declares(alertmanager.containers(), port.getTargetPort()))
                .as("the Service's targetPort %s is a port of Alertmanager's container", WiringTest.show(port.getTargetPort()))
                .isTrue();
        assertThat(alertmanager.containers().get(0).getArgs())
                .contains("--web.listen-address=:" + containerPort(alertmanager, port.getTargetPort()));
    }

    @Test
    void shouldLeaveTheRestOfPrometheussConfigurationAsTheBaseHasItAndRestartIt() {
        JsonNode base = RenderedPrometheus.of(Kustomize.overlay("prod")).config();
        JsonNode withAlertmanager = RenderedPrometheus.of(prodWithAlertmanager()).config();
        ObjectNode withoutAlerting = withAlertmanager.deepCopy();
        withoutAlerting.remove("alerting");

        assertThat(base.has("alerting")).as("prod alone sends alerts nowhere").isFalse();
        assertThat(withoutAlerting).isEqualTo(base);
        // Prometheus reads its configuration when it starts: a new pod template restarts it
        assertThat(prodWithAlertmanager().workload("Deployment prometheus").template().getMetadata())
                .isNotEqualTo(Kustomize.overlay("prod").workload("Deployment prometheus").template().getMetadata());
    }

    @Test
    void shouldRouteEverySeverityOfTheRulesToAWebhookFromTheSecretTheGuideCreates() {
        Manifests manifests = prodWithAlertmanager();
        Manifests.Workload alertmanager = manifests.workload("Deployment alertmanager");
        JsonNode config = alertmanagerConfig(manifests, alertmanager);
        Map<String, String> receiverOfSeverity = new TreeMap<>();
        for (JsonNode route : config.at("/route/routes")) {
            for (JsonNode matcher : route.path("matchers")) {
                Matcher severity = SEVERITY_MATCHER.matcher(matcher.asText().strip());
                if (severity.matches()) {
                    receiverOfSeverity.put(severity.group(1), route.path("receiver").asText());
                }
            }
        }
        Set<String> severities = AlertRulesTest.alerts().values().stream().map(r -> r.at("/labels/severity").asText())
                .collect(Collectors.toCollection(TreeSet::new));
        Map<String, JsonNode> receivers = new TreeMap<>();
        config.path("receivers").forEach(r -> receivers.put(r.path("name").asText(), r));
        Map<String, String> secretFiles = secretFiles(alertmanager);
        Map<String, Set<String>> documented = UserSecrets.documented();

        assertThat(receiverOfSeverity.keySet()).as("severities routed").isEqualTo(severities);
        assertThat(receivers).as("receivers").containsKey(config.at("/route/receiver").asText());
        receiverOfSeverity.forEach((severity, receiver) -> {
            assertThat(receivers).as("the receiver of severity %s", severity).containsKey(receiver);
            JsonNode webhooks = receivers.get(receiver).path("webhook_configs");
            assertThat(webhooks).as("webhooks of %s", receiver).isNotEmpty();
            webhooks.forEach(webhook -> {
                String file = webhook.path("url_file").asText();
                assertThat(secretFiles).as("%s's url_file %s: a key of a Secret the pod mounts", receiver, file).containsKey(file);
                String[] secretAndKey = secretFiles.get(file).split("/");
                assertThat(documented.getOrDefault(secretAndKey[0], Set.of()))
                        .as("keys of Secret %s that docs/kubernetes.md creates", secretAndKey[0]).contains(secretAndKey[1]);
            });
        });
    }

    @Test
    void shouldLetOnlyPrometheusReachAlertmanager() {
        Manifests manifests = prodWithAlertmanager();
        Manifests.Workload alertmanager = manifests.workload("Deployment alertmanager");

        for (int port : Policies.containerPorts(alertmanager).values()) {
            assertThat(NetworkPolicyTest.reaching(manifests, "Deployment alertmanager", port)).as("port %d", port)
                    .containsExactly("Deployment prometheus");
        }
        assertThat(Policies.containerPorts(alertmanager)).isNotEmpty();
    }

    @Test
    void shouldRunAlertmanagerAsTheRestrictedStandardAsksProbedBoundedAndPinned() {
        Manifests.Workload alertmanager = prodWithAlertmanager().workload("Deployment alertmanager");
        List<String> errors = new ArrayList<>();
        errors.addAll(HardeningTest.probeErrors(alertmanager));
        errors.addAll(HardeningTest.resourceErrors(alertmanager));
        errors.addAll(HardeningTest.securityErrors(alertmanager));

        assertThat(errors).isEmpty();
        assertThat(alertmanager.template().getSpec().getAutomountServiceAccountToken()).isFalse();
        assertThat(alertmanager.containers()).extracting(Container::getImage)
                .allSatisfy(image -> assertThat(image).matches("prom/alertmanager:v\\d+\\.\\d+\\.\\d+"));
    }

    /** The configuration file its --config.file names, from the ConfigMap mounted there. */
    private static JsonNode alertmanagerConfig(Manifests manifests, Manifests.Workload alertmanager) {
        Container container = alertmanager.containers().get(0);
        String path = container.getArgs().stream().filter(a -> a.startsWith("--config.file=")).findFirst().orElseThrow()
                .substring("--config.file=".length());
        String directory = path.substring(0, path.lastIndexOf('/'));
        VolumeMount mount = container.getVolumeMounts().stream().filter(m -> m.getMountPath().equals(directory))
                .findFirst().orElseThrow(() -> new AssertionError("nothing mounted at " + directory));
        String configMap = volume(alertmanager, mount.getName()).getConfigMap().getName();
        String text = manifests.find(ConfigMap.class, "ovation", configMap).orElseThrow().getData()
                .get(path.substring(directory.length() + 1));
        assertThat(text).as("%s in ConfigMap %s", path, configMap).isNotNull();
        return Kustomize.parse(text).get(0);
    }

    /** Path in the container to "secret/key", for every Secret volume the container mounts by items. */
    private static Map<String, String> secretFiles(Manifests.Workload workload) {
        Map<String, String> files = new TreeMap<>();
        for (VolumeMount mount : workload.containers().get(0).getVolumeMounts()) {
            Volume volume = volume(workload, mount.getName());
            if (volume.getSecret() != null) {
                volume.getSecret().getItems().forEach(item -> files.put(mount.getMountPath() + "/" + item.getPath(),
                        volume.getSecret().getSecretName() + "/" + item.getKey()));
            }
        }
        return files;
    }

    private static Volume volume(Manifests.Workload workload, String name) {
        return workload.template().getSpec().getVolumes().stream().filter(v -> Objects.equals(v.getName(), name))
                .findFirst().orElseThrow(() -> new AssertionError(workload.name() + " has no volume " + name));
    }

    private static int containerPort(Manifests.Workload workload, IntOrString port) {
        return port.getIntVal() != null ? port.getIntVal() : Policies.containerPorts(workload).get(port.getStrVal());
    }

    private static String id(JsonNode document) {
        return StrictModel.typeOf(document) + " " + document.at("/metadata/namespace").asText() + "/"
                + document.at("/metadata/name").asText();
    }
}
