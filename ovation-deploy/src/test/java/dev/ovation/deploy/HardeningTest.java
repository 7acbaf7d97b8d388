package dev.ovation.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every container is probed, bounded, and runs as a non-root user on a read-only root file system; the
 * namespace enforces Pod Security's restricted standard; only Prometheus, which lists pods, mounts a
 * token for the Kubernetes API.
 */
class HardeningTest {

    static List<String> overlays() {
        return Repository.overlays();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("overlays")
    void shouldProbeEveryLongRunningContainer(String overlay) {
        List<String> errors = new ArrayList<>();
        for (Manifests.Workload workload : Kustomize.overlay(overlay).workloads()) {
            errors.addAll(probeErrors(workload));
        }
        assertThat(errors).isEmpty();
    }

    /** A long-running container without a liveness or a readiness probe; a Job's are not checked. */
    static List<String> probeErrors(Manifests.Workload workload) {
        List<String> errors = new ArrayList<>();
        if (workload.isJob()) {
            return errors; // a Job's container ends; its restart policy and backoff limit watch it
        }
        for (Container container : workload.containers()) {
            if (container.getLivenessProbe() == null) {
                errors.add(workload.name() + "/" + container.getName() + " has no liveness probe");
            }
            if (container.getReadinessProbe() == null) {
                errors.add(workload.name() + "/" + container.getName() + " has no readiness probe");
            }
        }
        return errors;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("overlays")
    void shouldProbeTheRolesOnTheirHealthEndpointsOnTheManagementPort(String overlay) {
        Manifests manifests = Kustomize.overlay(overlay);
        Map<String, List<String>> probed = new TreeMap<>();
        for (String role : RoleContract.commands()) {
            Container container = RoleEnvironmentTest.roleContainer(manifests, role);
            probed.put(role, List.of(
                    container.getStartupProbe().getHttpGet().getPath() + "@" + container.getStartupProbe().getHttpGet().getPort().getStrVal(),
                    container.getLivenessProbe().getHttpGet().getPath() + "@" + container.getLivenessProbe().getHttpGet().getPort().getStrVal(),
                    container.getReadinessProbe().getHttpGet().getPath() + "@" + container.getReadinessProbe().getHttpGet().getPort().getStrVal()));
        }

        // the ingest and results on their management ports (the public ports answer /health/* too, but the Gateway
        // reaches those); the counter has one port
        assertThat(probed).isEqualTo(Map.of(
                "ingest", List.of("/health/live@management", "/health/live@management", "/health/ready@management"),
                "results", List.of("/health/live@management", "/health/live@management", "/health/ready@management"),
                "counter", List.of("/health/live@http", "/health/live@http", "/health/ready@http")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("overlays")
    void shouldEnforceTheRestrictedPodSecurityStandardOnTheNamespace(String overlay) {
        Namespace namespace = Kustomize.overlay(overlay).all(Namespace.class).stream()
                .filter(n -> n.getMetadata().getName().equals("ovation")).findFirst().orElseThrow();

        assertThat(namespace.getMetadata().getLabels())
                .containsEntry("pod-security.kubernetes.io/enforce", "restricted")
                .containsEntry("pod-security.kubernetes.io/audit", "restricted")
                .containsEntry("pod-security.kubernetes.io/warn", "restricted");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("overlays")
    void shouldUseOnlyWhatTheRestrictedStandardAllows(String overlay) {
        Set<String> allowedVolumes = Set.of("configMap", "csi", "downwardAPI", "emptyDir", "ephemeral",
                "persistentVolumeClaim", "projected", "secret");
        List<String> errors = new ArrayList<>();
        for (Manifests.Workload workload : Kustomize.overlay(overlay).workloads()) {
            var spec = workload.template().getSpec();
            if (Boolean.TRUE.equals(spec.getHostNetwork()) || Boolean.TRUE.equals(spec.getHostPID())
                    || Boolean.TRUE.equals(spec.getHostIPC())) {
                errors.add(workload.name() + " shares a namespace of the host");
            }
            for (Volume volume : spec.getVolumes()) {
                Map<String, Object> fields = Kustomize.YAML.convertValue(volume, Map.class);
                fields.keySet().stream().filter(k -> !k.equals("name") && !allowedVolumes.contains(k))
                        .forEach(k -> errors.add(workload.name() + " volume " + volume.getName() + " is a " + k));
            }
            workload.allContainers().forEach(c -> c.getPorts().stream().filter(p -> p.getHostPort() != null)
                    .forEach(p -> errors.add(workload.name() + "/" + c.getName() + " binds host port " + p.getHostPort())));
        }
        assertThat(errors).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("overlays")
    void shouldMountAServiceAccountTokenOnlyInPodsThatUseTheApi(String overlay) {
        Manifests manifests = Kustomize.overlay(overlay);
        Set<String> boundAccounts = manifests.all(RoleBinding.class).stream()
                .flatMap(b -> b.getSubjects().stream()).filter(s -> s.getKind().equals("ServiceAccount"))
                .map(s -> s.getName()).collect(Collectors.toSet());
        Map<String, Boolean> mounted = new TreeMap<>();
        for (Manifests.Workload workload : manifests.workloads()) {
            var spec = workload.template().getSpec();
            // the default (unset) mounts the token
            mounted.put(workload.name(), !Boolean.FALSE.equals(spec.getAutomountServiceAccountToken()));
            boolean usesApi = spec.getServiceAccountName() != null && boundAccounts.contains(spec.getServiceAccountName());
            assertThat(mounted.get(workload.name())).as("%s mounts a token (its account is bound to a Role: %s)",
                    workload.name(), usesApi).isEqualTo(usesApi);
        }
        assertThat(mounted).containsEntry("Deployment prometheus", true);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("overlays")
    void shouldKeepPrometheussLifecycleAndAdminApisOff(String overlay) {
        Container prometheus = Kustomize.overlay(overlay).workload("Deployment prometheus").containers().get(0);

        assertThat(prometheus.getArgs()).contains("--config.file=/etc/prometheus/prometheus.yml")
                .noneMatch(arg -> arg.startsWith("--web.enable-lifecycle") || arg.startsWith("--web.enable-admin-api"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("overlays")
    void shouldRequestAndLimitCpuAndMemoryForEveryContainer(String overlay) {
        List<String> errors = new ArrayList<>();
        for (Manifests.Workload workload : Kustomize.overlay(overlay).workloads()) {
            errors.addAll(resourceErrors(workload));
        }
        assertThat(errors).isEmpty();
    }

    /** A container without a request or a limit of CPU or memory, or that requests more than its limit. */
    static List<String> resourceErrors(Manifests.Workload workload) {
        List<String> errors = new ArrayList<>();
        workload.allContainers().forEach(container -> {
            String name = workload.name() + "/" + container.getName();
            if (container.getResources() == null) {
                errors.add(name + " has no resources");
                return;
            }
            Map<String, Quantity> requests = container.getResources().getRequests();
            Map<String, Quantity> limits = container.getResources().getLimits();
            for (String resource : List.of("cpu", "memory")) {
                if (requests == null || !requests.containsKey(resource)) {
                    errors.add(name + " requests no " + resource);
                }
                if (limits == null || !limits.containsKey(resource)) {
                    errors.add(name + " has no " + resource + " limit");
                }
                if (requests != null && limits != null && requests.containsKey(resource) && limits.containsKey(resource)
                        && requests.get(resource).getNumericalAmount().compareTo(limits.get(resource).getNumericalAmount()) > 0) {
                    errors.add(name + " requests more " + resource + " than its limit");
                }
            }
        });
        return errors;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("overlays")
    void shouldRunEveryContainerAsNonRootOnAReadOnlyRootWithoutPrivileges(String overlay) {
        List<String> errors = new ArrayList<>();
        for (Manifests.Workload workload : Kustomize.overlay(overlay).workloads()) {
            errors.addAll(securityErrors(workload));
        }
        assertThat(errors).isEmpty();
    }

    /**
     * A container that may run as root, has a writable root file system, may gain privileges or keeps
     * capabilities, or runs without the RuntimeDefault seccomp profile.
     */
    static List<String> securityErrors(Manifests.Workload workload) {
        List<String> errors = new ArrayList<>();
        PodSecurityContext pod = workload.template().getSpec().getSecurityContext();
        workload.allContainers().forEach(container -> {
            String name = workload.name() + "/" + container.getName();
            SecurityContext own = container.getSecurityContext();
            if (own == null) {
                errors.add(name + " has no securityContext");
                return;
            }
            Boolean nonRoot = own.getRunAsNonRoot() != null ? own.getRunAsNonRoot() : pod == null ? null : pod.getRunAsNonRoot();
            Long user = own.getRunAsUser() != null ? own.getRunAsUser() : pod == null ? null : pod.getRunAsUser();
            String seccomp = own.getSeccompProfile() != null ? own.getSeccompProfile().getType()
                    : pod == null || pod.getSeccompProfile() == null ? null : pod.getSeccompProfile().getType();
            if (!Boolean.TRUE.equals(nonRoot)) {
                errors.add(name + " may run as root (runAsNonRoot is not true)");
            }
            if (user != null && user == 0) {
                errors.add(name + " runs as user 0");
            }
            if (!Boolean.TRUE.equals(own.getReadOnlyRootFilesystem())) {
                errors.add(name + " has a writable root file system");
            }
            if (!Boolean.FALSE.equals(own.getAllowPrivilegeEscalation())) {
                errors.add(name + " allows privilege escalation");
            }
            if (own.getCapabilities() == null || !own.getCapabilities().getDrop().contains("ALL")
                    || !own.getCapabilities().getAdd().isEmpty()) {
                errors.add(name + " keeps capabilities (drop ALL, add none)");
            }
            if (Boolean.TRUE.equals(own.getPrivileged())) {
                errors.add(name + " is privileged");
            }
            if (!"RuntimeDefault".equals(seccomp)) {
                errors.add(name + " has seccomp profile " + seccomp + ", not RuntimeDefault");
            }
        });
        return errors;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("overlays")
    void shouldGiveEveryJvmAWritableTmp(String overlay) {
        Manifests manifests = Kustomize.overlay(overlay);
        for (Manifests.Workload workload : manifests.workloads()) {
            for (Container container : workload.containers()) {
                if (!container.getImage().startsWith(ImageTagTest.IMAGE + ":")) {
                    continue;
                }
                VolumeMount tmp = container.getVolumeMounts().stream().filter(m -> m.getMountPath().equals("/tmp"))
                        .findFirst().orElse(null);
                assertThat(tmp).as("%s mounts /tmp", workload.name()).isNotNull();
                Volume volume = workload.template().getSpec().getVolumes().stream()
                        .filter(v -> Objects.equals(v.getName(), tmp.getName())).findFirst().orElseThrow();
                assertThat(volume.getEmptyDir()).as("%s's /tmp is an emptyDir", workload.name()).isNotNull();
            }
        }
    }
}
