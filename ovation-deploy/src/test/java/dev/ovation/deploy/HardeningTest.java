package dev.ovation.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every container is probed, bounded, and runs as a non-root user on a read-only root file system. */
class HardeningTest {

    static List<String> overlays() {
        return Repository.overlays();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("overlays")
    void shouldProbeEveryLongRunningContainer(String overlay) {
        List<String> errors = new ArrayList<>();
        for (Manifests.Workload workload : Kustomize.overlay(overlay).workloads()) {
            if (workload.isJob()) {
                continue; // a Job's container ends; its restart policy and backoff limit watch it
            }
            for (Container container : workload.containers()) {
                if (container.getLivenessProbe() == null) {
                    errors.add(workload.name() + "/" + container.getName() + " has no liveness probe");
                }
                if (container.getReadinessProbe() == null) {
                    errors.add(workload.name() + "/" + container.getName() + " has no readiness probe");
                }
            }
        }
        assertThat(errors).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("overlays")
    void shouldProbeTheRolesOnTheirHealthEndpoints(String overlay) {
        Manifests manifests = Kustomize.overlay(overlay);
        for (String role : RoleContract.commands()) {
            Container container = RoleEnvironmentTest.roleContainer(manifests, role);
            assertThat(container.getLivenessProbe().getHttpGet().getPath()).as(role).isEqualTo("/health/live");
            assertThat(container.getReadinessProbe().getHttpGet().getPath()).as(role).isEqualTo("/health/ready");
            assertThat(container.getLivenessProbe().getHttpGet().getPort().getStrVal()).as(role).isEqualTo("http");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("overlays")
    void shouldRequestAndLimitCpuAndMemoryForEveryContainer(String overlay) {
        List<String> errors = new ArrayList<>();
        for (Manifests.Workload workload : Kustomize.overlay(overlay).workloads()) {
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
        }
        assertThat(errors).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("overlays")
    void shouldRunEveryContainerAsNonRootOnAReadOnlyRootWithoutPrivileges(String overlay) {
        List<String> errors = new ArrayList<>();
        for (Manifests.Workload workload : Kustomize.overlay(overlay).workloads()) {
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
        }
        assertThat(errors).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("overlays")
    void shouldGiveEveryJvmAWritableTmp(String overlay) {
        Manifests manifests = Kustomize.overlay(overlay);
        for (Manifests.Workload workload : manifests.workloads()) {
            for (Container container : workload.containers()) {
                if (!container.getImage().startsWith("ghcr.io/ovation/ovation:")) {
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
