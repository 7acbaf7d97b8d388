package dev.ovation.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Gateway;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressTLS;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What refers to what inside an overlay: Services to pods and ports, routes to Services, autoscalers to
 * Deployments, pods to ConfigMaps and Secrets (the overlay's, or those docs/kubernetes.md has you create).
 */
class WiringTest {

    static List<String> overlays() {
        return Repository.overlays();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("overlays")
    void shouldSelectPodsAndDeclaredPortsWithEveryService(String overlay) {
        Manifests manifests = Kustomize.overlay(overlay);
        List<String> errors = new ArrayList<>();
        for (Service service : manifests.all(Service.class)) {
            String name = "Service " + service.getMetadata().getName();
            List<Manifests.Workload> selected = manifests.workloads().stream()
                    .filter(w -> Objects.equals(w.namespace(), service.getMetadata().getNamespace()))
                    .filter(w -> !w.isJob())
                    .filter(w -> Labels.matches(service.getSpec().getSelector(), w.template().getMetadata().getLabels()))
                    .toList();
            if (selected.isEmpty()) {
                errors.add(name + " selects no pod template: " + service.getSpec().getSelector());
            }
            for (ServicePort port : service.getSpec().getPorts()) {
                IntOrString target = port.getTargetPort() != null ? port.getTargetPort() : new IntOrString(port.getPort());
                for (Manifests.Workload workload : selected) {
                    if (!declares(workload.containers(), target)) {
                        errors.add(name + " port " + port.getName() + " targets " + show(target)
                                + ", which no container of " + workload.name() + " declares");
                    }
                }
            }
        }
        assertThat(errors).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("overlays")
    void shouldProbeDeclaredPorts(String overlay) {
        List<String> errors = new ArrayList<>();
        for (Manifests.Workload workload : Kustomize.overlay(overlay).workloads()) {
            for (Container container : workload.containers()) {
                for (Probe probe : probes(container)) {
                    IntOrString port = probe.getHttpGet() != null ? probe.getHttpGet().getPort()
                            : probe.getTcpSocket() != null ? probe.getTcpSocket().getPort()
                            : probe.getGrpc() != null ? new IntOrString(probe.getGrpc().getPort()) : null;
                    if (port != null && !declares(List.of(container), port)) {
                        errors.add(workload.name() + " container " + container.getName() + " probes port "
                                + show(port) + ", which it does not declare");
                    }
                }
            }
        }
        assertThat(errors).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("overlays")
    void shouldReachAServicePortWithEveryRouteAndIngress(String overlay) {
        List<RouteTest.Way> ways = RouteTest.ways(Kustomize.overlay(overlay));

        assertThat(ways).as("routes and Ingress paths").isNotEmpty()
                .allSatisfy(way -> assertThat(way.containerPort()).as("%s to %s", way.name(), way.service()).isNotEqualTo("?"));
    }

    /** An autoscaler (HorizontalPodAutoscaler or ScaledObject) and what it scales. */
    record Autoscaler(String name, String namespace, String targetKind, String target) {
    }

    static List<Autoscaler> autoscalers(Manifests manifests) {
        List<Autoscaler> autoscalers = new ArrayList<>();
        for (HorizontalPodAutoscaler hpa : manifests.all(HorizontalPodAutoscaler.class)) {
            autoscalers.add(new Autoscaler("HorizontalPodAutoscaler " + hpa.getMetadata().getName(),
                    hpa.getMetadata().getNamespace(), hpa.getSpec().getScaleTargetRef().getKind(),
                    hpa.getSpec().getScaleTargetRef().getName()));
        }
        for (JsonNode scaledObject : manifests.raw(StrictModel.SCALED_OBJECT)) {
            JsonNode target = scaledObject.at("/spec/scaleTargetRef");
            autoscalers.add(new Autoscaler("ScaledObject " + scaledObject.at("/metadata/name").asText(),
                    scaledObject.at("/metadata/namespace").asText(null), target.path("kind").asText("Deployment"),
                    target.path("name").asText()));
        }
        return autoscalers;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("overlays")
    void shouldScaleOnlyExistingDeploymentsEachWithOneAutoscaler(String overlay) {
        Manifests manifests = Kustomize.overlay(overlay);
        Map<String, List<String>> autoscalersByTarget = new HashMap<>();
        List<String> errors = new ArrayList<>();
        for (Autoscaler autoscaler : autoscalers(manifests)) {
            if (!"Deployment".equals(autoscaler.targetKind())
                    || manifests.find(Deployment.class, autoscaler.namespace(), autoscaler.target()).isEmpty()) {
                errors.add(autoscaler.name() + " targets " + autoscaler.targetKind() + " " + autoscaler.target()
                        + ", not a Deployment in namespace " + autoscaler.namespace());
            }
            autoscalersByTarget.computeIfAbsent(autoscaler.namespace() + "/" + autoscaler.target(),
                    k -> new ArrayList<>()).add(autoscaler.name());
        }
        autoscalersByTarget.forEach((target, names) -> {
            if (names.size() > 1) {
                errors.add(target + " is scaled by " + names + ": they would fight over its replicas");
            }
        });
        assertThat(errors).isEmpty();
        assertThat(autoscalersByTarget).as("the counters are autoscaled").containsKey("ovation/counter");
    }

    /** A use of a ConfigMap or Secret by a workload: its name and, when one key is used, the key. */
    record Reference(String workload, boolean secret, String name, String key) {
    }

    static List<Reference> references(Manifests.Workload workload) {
        List<Reference> refs = new ArrayList<>();
        workload.allContainers().forEach(container -> {
            for (EnvVar var : container.getEnv()) {
                if (var.getValueFrom() != null && var.getValueFrom().getSecretKeyRef() != null) {
                    refs.add(new Reference(workload.name(), true, var.getValueFrom().getSecretKeyRef().getName(),
                            var.getValueFrom().getSecretKeyRef().getKey()));
                }
                if (var.getValueFrom() != null && var.getValueFrom().getConfigMapKeyRef() != null) {
                    refs.add(new Reference(workload.name(), false, var.getValueFrom().getConfigMapKeyRef().getName(),
                            var.getValueFrom().getConfigMapKeyRef().getKey()));
                }
            }
            for (EnvFromSource from : container.getEnvFrom()) {
                if (from.getSecretRef() != null) {
                    refs.add(new Reference(workload.name(), true, from.getSecretRef().getName(), null));
                }
                if (from.getConfigMapRef() != null) {
                    refs.add(new Reference(workload.name(), false, from.getConfigMapRef().getName(), null));
                }
            }
        });
        for (Volume volume : workload.template().getSpec().getVolumes()) {
            if (volume.getConfigMap() != null) {
                refs.add(new Reference(workload.name(), false, volume.getConfigMap().getName(), null));
                volume.getConfigMap().getItems().forEach(item ->
                        refs.add(new Reference(workload.name(), false, volume.getConfigMap().getName(), item.getKey())));
            }
            if (volume.getSecret() != null) {
                refs.add(new Reference(workload.name(), true, volume.getSecret().getSecretName(), null));
                volume.getSecret().getItems().forEach(item ->
                        refs.add(new Reference(workload.name(), true, volume.getSecret().getSecretName(), item.getKey())));
            }
        }
        return refs;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("overlays")
    void shouldReferenceOnlyConfigMapsThatExistAndSecretsTheGuideCreates(String overlay) {
        Manifests manifests = Kustomize.overlay(overlay);
        Map<String, Set<String>> secrets = UserSecrets.documented();
        Map<String, Map<String, String>> userConfigMaps = UserConfigMaps.documented();
        List<String> errors = new ArrayList<>();
        for (Manifests.Workload workload : manifests.workloads()) {
            for (Reference ref : references(workload)) {
                if (ref.secret()) {
                    if (!secrets.containsKey(ref.name())) {
                        errors.add(ref.workload() + " uses Secret " + ref.name() + ", which docs/kubernetes.md does not create");
                    } else if (ref.key() != null && !secrets.get(ref.name()).contains(ref.key())) {
                        errors.add(ref.workload() + " uses key " + ref.key() + " of Secret " + ref.name()
                                + ", which docs/kubernetes.md does not put in it (it has " + secrets.get(ref.name()) + ")");
                    }
                    continue;
                }
                ConfigMap found = manifests.find(ConfigMap.class, workload.namespace(), ref.name()).orElse(null);
                if (found == null && userConfigMaps.containsKey(ref.name())) {
                    if (ref.key() != null && !userConfigMaps.get(ref.name()).containsKey(ref.key())) {
                        errors.add(ref.workload() + " uses key " + ref.key() + " of ConfigMap " + ref.name()
                                + ", which docs/kubernetes.md does not put in it");
                    }
                } else if (found == null) {
                    errors.add(ref.workload() + " uses missing ConfigMap " + ref.name());
                } else if (ref.key() != null && (found.getData() == null || !found.getData().containsKey(ref.key()))) {
                    errors.add(ref.workload() + " uses key " + ref.key() + " missing from ConfigMap " + ref.name());
                }
            }
        }
        for (Ingress ingress : manifests.all(Ingress.class)) {
            for (IngressTLS tls : ingress.getSpec().getTls()) {
                if (!secrets.containsKey(tls.getSecretName())) {
                    errors.add("Ingress " + ingress.getMetadata().getName() + " uses TLS Secret " + tls.getSecretName()
                            + ", which docs/kubernetes.md does not create");
                }
            }
        }
        for (Gateway gateway : manifests.all(Gateway.class)) {
            gateway.getSpec().getListeners().stream().filter(l -> l.getTls() != null)
                    .flatMap(l -> l.getTls().getCertificateRefs().stream()).forEach(certificate -> {
                        if (!secrets.getOrDefault(certificate.getName(), Set.of()).containsAll(Set.of("tls.crt", "tls.key"))) {
                            errors.add("Gateway " + gateway.getMetadata().getName() + " uses TLS Secret " + certificate.getName()
                                    + ", which docs/kubernetes.md does not create");
                        }
                    });
        }
        assertThat(errors).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("overlays")
    void shouldCoverEveryReplicatedWorkloadWithADisruptionBudget(String overlay) {
        Manifests manifests = Kustomize.overlay(overlay);
        List<PodDisruptionBudget> budgets = manifests.all(PodDisruptionBudget.class);
        List<String> errors = new ArrayList<>();
        for (PodDisruptionBudget budget : budgets) {
            if (manifests.workloads().stream().noneMatch(w -> Labels.matches(budget.getSpec().getSelector(),
                    w.template().getMetadata().getLabels()))) {
                errors.add("PodDisruptionBudget " + budget.getMetadata().getName() + " selects no pods");
            }
        }
        for (Manifests.Workload workload : manifests.workloads()) {
            int most = workload.replicas() == null ? 1 : workload.replicas();
            for (HorizontalPodAutoscaler hpa : manifests.all(HorizontalPodAutoscaler.class)) {
                if (hpa.getSpec().getScaleTargetRef().getName().equals(workload.owner().getMetadata().getName())) {
                    most = Math.max(most, hpa.getSpec().getMaxReplicas());
                }
            }
            boolean covered = budgets.stream().anyMatch(b -> Labels.matches(b.getSpec().getSelector(),
                    workload.template().getMetadata().getLabels()));
            if (!workload.isJob() && most > 1 && !covered) {
                errors.add(workload.name() + " runs up to " + most + " replicas without a PodDisruptionBudget");
            }
        }
        assertThat(errors).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("overlays")
    void shouldPointGrafanasDataSourcesAtTheServicesOfTheOverlay(String overlay) {
        Manifests manifests = Kustomize.overlay(overlay);
        ConfigMap provisioning = manifests.find(ConfigMap.class, "ovation", "ovation-grafana-datasources").orElseThrow();
        List<String> errors = new ArrayList<>();
        boolean redisCluster = manifests.workloads().stream().anyMatch(w -> w.name().equals("StatefulSet redis-cluster"));
        int redisSources = 0;
        for (String file : provisioning.getData().values()) {
            for (JsonNode source : Kustomize.parse(file).get(0).path("datasources")) {
                String url = source.path("url").asText();
                String[] hostPort = url.replaceFirst("^[a-z]+://", "").split("[:/]");
                Service service = manifests.find(Service.class, "ovation", hostPort[0]).orElse(null);
                if (service == null || service.getSpec().getPorts().stream()
                        .noneMatch(p -> p.getPort() == Integer.parseInt(hostPort[1]))) {
                    errors.add("data source " + source.path("name").asText() + " points at " + url
                            + ", which no Service of the overlay serves");
                }
                if (source.path("type").asText().equals("redis-datasource")) {
                    redisSources++;
                    String client = source.at("/jsonData/client").asText();
                    if (!client.equals(redisCluster ? "cluster" : "standalone")) {
                        errors.add("the Redis data source uses the " + client + " client, but Redis is "
                                + (redisCluster ? "a cluster" : "one server"));
                    }
                }
            }
        }
        assertThat(redisSources).isEqualTo(1);
        assertThat(errors).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("overlays")
    void shouldLetPrometheusFindTheAnnotatedPods(String overlay) {
        Manifests manifests = Kustomize.overlay(overlay);
        Deployment prometheus = manifests.find(Deployment.class, "ovation", "prometheus").orElseThrow();
        String account = prometheus.getSpec().getTemplate().getSpec().getServiceAccountName();

        assertThat(manifests.find(ServiceAccount.class, "ovation", account)).isPresent();
        List<String> grantedRoles = manifests.all(RoleBinding.class).stream()
                .filter(b -> b.getSubjects().stream().anyMatch(s -> s.getKind().equals("ServiceAccount")
                        && s.getName().equals(account)))
                .map(b -> b.getRoleRef().getName()).toList();
        boolean canWatchPods = manifests.all(Role.class).stream()
                .filter(r -> grantedRoles.contains(r.getMetadata().getName()))
                .flatMap(r -> r.getRules().stream())
                .anyMatch(rule -> rule.getResources().contains("pods")
                        && rule.getVerbs().containsAll(List.of("get", "list", "watch")));
        assertThat(canWatchPods).as("%s may list and watch pods", account).isTrue();

        String volume = prometheus.getSpec().getTemplate().getSpec().getVolumes().stream()
                .filter(v -> v.getConfigMap() != null).findFirst().orElseThrow().getConfigMap().getName();
        String config = manifests.find(ConfigMap.class, "ovation", volume).orElseThrow().getData().get("prometheus.yml");
        JsonNode scrape = Kustomize.parse(config).get(0).path("scrape_configs").get(0);
        assertThat(scrape.at("/kubernetes_sd_configs/0/role").asText()).isEqualTo("pod");
        assertThat(scrape.path("relabel_configs").toString())
                .contains("__meta_kubernetes_pod_annotation_prometheus_io_scrape",
                        "__meta_kubernetes_pod_annotation_prometheus_io_port",
                        "__meta_kubernetes_pod_annotation_prometheus_io_path");
    }

    @Test
    void shouldReadTheSecretsTheGuideCreates() {
        Map<String, Set<String>> secrets = UserSecrets.in("""
                kubectl -n ovation create secret generic ovation-mongodb \\
                  --from-literal=root-password="$(openssl rand -hex 24)" \\
                  --from-file=keyfile=<(openssl rand -base64 756)
                kubectl -n ovation create secret tls ovation-tls --cert=tls.crt --key=tls.key
                """);

        assertThat(secrets).containsOnlyKeys("ovation-mongodb", "ovation-tls");
        assertThat(secrets.get("ovation-mongodb")).containsExactlyInAnyOrder("root-password", "keyfile");
        assertThat(secrets.get("ovation-tls")).containsExactlyInAnyOrder("tls.crt", "tls.key");
    }

    static List<Probe> probes(Container container) {
        List<Probe> probes = new ArrayList<>();
        for (Probe probe : new Probe[] {container.getStartupProbe(), container.getLivenessProbe(),
                container.getReadinessProbe()}) {
            if (probe != null) {
                probes.add(probe);
            }
        }
        return probes;
    }

    static boolean declares(List<Container> containers, IntOrString port) {
        return containers.stream().flatMap(c -> c.getPorts().stream()).anyMatch((ContainerPort p) ->
                port.getIntVal() != null ? port.getIntVal().equals(p.getContainerPort())
                        : port.getStrVal().equals(p.getName()));
    }

    static String show(IntOrString port) {
        return port == null ? "nothing" : port.getIntVal() != null ? String.valueOf(port.getIntVal()) : port.getStrVal();
    }
}
