package dev.ovation.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The base's Prometheus as an overlay renders it, seen from inside its container: the configuration file
 * its {@code --config.file} names, and every file its container mounts from a ConfigMap of the overlay, by
 * the path Prometheus reads it at.
 */
record RenderedPrometheus(String configPath, Map<String, String> files) {

    /** The Deployment prometheus of the rendered overlay; fails when its configuration is not mounted. */
    static RenderedPrometheus of(Manifests manifests) {
        Manifests.Workload workload = manifests.workload("Deployment prometheus");
        Container container = workload.containers().stream().filter(c -> c.getName().equals("prometheus")).findFirst()
                .orElseThrow(() -> new AssertionError(manifests.overlay() + ": Deployment prometheus has no container prometheus"));
        String configPath = container.getArgs().stream().filter(a -> a.startsWith("--config.file="))
                .map(a -> a.substring("--config.file=".length())).findFirst()
                .orElseThrow(() -> new AssertionError(manifests.overlay() + ": Prometheus is given no --config.file"));
        Map<String, String> files = new TreeMap<>();
        for (VolumeMount mount : container.getVolumeMounts()) {
            Volume volume = workload.template().getSpec().getVolumes().stream()
                    .filter(v -> v.getName().equals(mount.getName())).findFirst()
                    .orElseThrow(() -> new AssertionError("no volume " + mount.getName() + " for Prometheus's mount"));
            if (volume.getConfigMap() == null) {
                continue;
            }
            String name = volume.getConfigMap().getName();
            Map<String, String> data = manifests.find(ConfigMap.class, workload.namespace(), name)
                    .orElseThrow(() -> new AssertionError(manifests.overlay() + ": Prometheus mounts the missing ConfigMap " + name))
                    .getData();
            mountedFiles(data, volume.getConfigMap().getItems(), mount).forEach(files::put);
        }
        if (!files.containsKey(configPath)) {
            throw new AssertionError(manifests.overlay() + ": no ConfigMap puts Prometheus's " + configPath
                    + " in its container (mounted: " + files.keySet() + ")");
        }
        return new RenderedPrometheus(configPath, files);
    }

    /** Path in the container to content, for one ConfigMap volume mounted whole, by items or by subPath. */
    private static Map<String, String> mountedFiles(Map<String, String> data, List<KeyToPath> items, VolumeMount mount) {
        Map<String, String> pathOfKey = new LinkedHashMap<>();
        if (items.isEmpty()) {
            data.keySet().forEach(key -> pathOfKey.put(key, key));
        } else {
            items.forEach(item -> pathOfKey.put(item.getKey(), item.getPath()));
        }
        Map<String, String> files = new LinkedHashMap<>();
        pathOfKey.forEach((key, path) -> {
            String subPath = mount.getSubPath();
            if (subPath == null || subPath.isEmpty()) {
                files.put(mount.getMountPath().replaceFirst("/$", "") + "/" + path, data.get(key));
            } else if (subPath.equals(path)) {
                files.put(mount.getMountPath(), data.get(key));
            }
        });
        return files;
    }

    /** The configuration, parsed. */
    JsonNode config() {
        return Kustomize.parse(files.get(configPath)).get(0);
    }

    /** The files of {@code rule_files}, resolved as Prometheus does: relative to the configuration's directory. */
    List<String> ruleFiles() {
        String directory = configPath.substring(0, configPath.lastIndexOf('/') + 1);
        List<String> paths = new ArrayList<>();
        config().path("rule_files").forEach(f -> paths.add(f.asText().startsWith("/") ? f.asText() : directory + f.asText()));
        return paths;
    }

    /** What Prometheus reads at this path of its container, if a ConfigMap puts a file there. */
    Optional<String> file(String path) {
        return Optional.ofNullable(files.get(path));
    }

    /** Every {@code host:port} of {@code alerting.alertmanagers[].static_configs[].targets}. */
    List<String> alertmanagerTargets() {
        List<String> targets = new ArrayList<>();
        config().at("/alerting/alertmanagers").forEach(am -> am.path("static_configs")
                .forEach(sc -> sc.path("targets").forEach(t -> targets.add(t.asText()))));
        return targets;
    }
}
