package dev.ovation.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.VolumeMount;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Grafana starts without the internet: nothing is preinstalled from grafana.com at start, and the Redis data
 * source plugin, one pinned version, is unpacked by an init container from a URL that may be a mirror.
 */
class GrafanaOfflineTest {

    private static final Pattern PINNED = Pattern.compile(".*/v(\\d+\\.\\d+\\.\\d+)/redis-datasource-(\\d+\\.\\d+\\.\\d+)\\.zip");

    static List<String> overlays() {
        return Repository.overlays();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("overlays")
    void shouldStartGrafanaWithoutDownloadingAPlugin(String overlay) {
        Container grafana = Kustomize.overlay(overlay).workload("Deployment grafana").containers().get(0);
        Map<String, String> env = Env.of(grafana);

        assertThat(env).containsEntry("GF_PLUGINS_PREINSTALL_DISABLED", "true")
                .containsEntry("GF_PLUGINS_PUBLIC_KEY_RETRIEVAL_DISABLED", "true")
                .doesNotContainKeys("GF_PLUGINS_PREINSTALL", "GF_PLUGINS_PREINSTALL_SYNC", "GF_INSTALL_PLUGINS");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("overlays")
    void shouldUnpackThePinnedRedisPluginIntoTheDirectoryGrafanaReads(String overlay) {
        Manifests.Workload workload = Kustomize.overlay(overlay).workload("Deployment grafana");
        Container grafana = workload.containers().get(0);
        assertThat(workload.template().getSpec().getInitContainers()).as("Grafana's init containers")
                .extracting(Container::getName).contains("redis-datasource");
        Container init = workload.template().getSpec().getInitContainers().stream()
                .filter(c -> c.getName().equals("redis-datasource")).findFirst().orElseThrow();
        String plugins = Env.of(grafana).get("GF_PATHS_PLUGINS");
        String url = pluginUrl(Kustomize.overlay(overlay));

        assertThat(version(url)).as("a pinned version in %s", url).matches("\\d+\\.\\d+\\.\\d+");
        assertThat(init.getImage()).isEqualTo(grafana.getImage());
        assertThat(String.join(" ", init.getCommand())).contains("grafana cli --pluginsDir " + plugins
                + " --pluginUrl \"$REDIS_DATASOURCE_URL\" plugins install redis-datasource");
        assertThat(volumeAt(init, plugins)).as("the volume both mount at %s", plugins).isNotNull()
                .isEqualTo(volumeAt(grafana, plugins));
        assertThat(workload.template().getSpec().getVolumes()).filteredOn(v -> v.getName().equals(volumeAt(grafana, plugins)))
                .singleElement().satisfies(v -> assertThat(v.getEmptyDir()).isNotNull());
    }

    /** The plugin zip's URL, from the init container's REDIS_DATASOURCE_URL. */
    static String pluginUrl(Manifests manifests) {
        Container init = manifests.workload("Deployment grafana").template().getSpec().getInitContainers().stream()
                .filter(c -> c.getName().equals("redis-datasource")).findFirst()
                .orElseThrow(() -> new AssertionError("Grafana has no init container redis-datasource"));
        return Env.of(init).get("REDIS_DATASOURCE_URL");
    }

    /** The version a release URL of the plugin names, twice (tag and file), the same. */
    static String version(String url) {
        Matcher m = PINNED.matcher(url);
        assertThat(m.matches()).as("a release zip of redis-datasource: %s", url).isTrue();
        assertThat(m.group(1)).isEqualTo(m.group(2));
        return m.group(1);
    }

    private static String volumeAt(Container container, String path) {
        return container.getVolumeMounts().stream().filter(m -> m.getMountPath().equals(path)).findFirst()
                .map(VolumeMount::getName).orElse(null);
    }
}
