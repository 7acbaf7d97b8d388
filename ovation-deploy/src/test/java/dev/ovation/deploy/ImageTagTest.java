package dev.ovation.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One tag of Ovation's image everywhere: the Maven project's version, which the Dockerfile's build command,
 * Jib ({@code ${project.version}}), the manifests (the images: of base/kustomization.yaml), Compose and the
 * docs all name. A release changes the version and this test lists every place still naming the old one.
 */
class ImageTagTest {

    static final String IMAGE = "ghcr.io/ovation/ovation";
    private static final Pattern TAGGED = Pattern.compile(Pattern.quote(IMAGE) + ":([A-Za-z0-9_.${}-]+)");

    static List<String> overlays() {
        return Repository.overlays();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("overlays")
    void shouldRunEveryOvationContainerFromTheProjectsVersion(String overlay) {
        Set<String> images = new TreeSet<>();
        for (Manifests.Workload workload : Kustomize.overlay(overlay).workloads()) {
            workload.allContainers().map(Container::getImage).filter(i -> i.startsWith(IMAGE)).forEach(images::add);
        }

        assertThat(images).containsExactly(IMAGE + ":" + Repository.projectVersion());
    }

    @Test
    void shouldSetTheTagOnceForTheManifests() {
        var kustomization = Kustomize.parse(Repository.read("deploy/k8s/base/kustomization.yaml")).get(0);
        var images = kustomization.path("images");

        assertThat(images).hasSize(1);
        assertThat(images.get(0).path("name").asText()).isEqualTo(IMAGE);
        assertThat(images.get(0).path("newTag").asText()).isEqualTo(Repository.projectVersion());
    }

    @Test
    void shouldNameTheProjectsVersionWhereverATagOfTheImageIsWritten() {
        String version = Repository.projectVersion();
        Map<String, Set<String>> tags = new TreeMap<>();
        for (String file : filesNamingTheImage()) {
            // ${OVATION_TAG:-...} as Compose reads it with the variable unset
            String text = ComposeTest.unset(Repository.read(file));
            if (file.equals("ovation-launcher/pom.xml")) {
                text = text.replace("${project.version}", version);
            }
            Matcher tag = TAGGED.matcher(text);
            while (tag.find()) {
                // a sentence's full stop is not part of the tag
                tags.computeIfAbsent(file, f -> new TreeSet<>()).add(tag.group(1).replaceAll("\\.+$", ""));
            }
        }

        assertThat(tags).containsKeys("Dockerfile", "docker-compose.yml", "ovation-launcher/pom.xml",
                "docs/image.md", "docs/kubernetes.md");
        assertThat(tags).allSatisfy((file, found) -> assertThat(found).as("tags of %s in %s", IMAGE, file)
                .containsExactly(version));
        // the image's version label too
        assertThat(Repository.read("Dockerfile")).contains("ARG OVATION_VERSION=" + version + "\n");
    }

    /** The deployment files, the docs, the README, the Dockerfile and the Jib configuration. */
    private static List<String> filesNamingTheImage() {
        Path root = Repository.root();
        try (Stream<Path> deploy = Files.walk(root.resolve("deploy")); Stream<Path> docs = Files.walk(root.resolve("docs"))) {
            List<String> files = new ArrayList<>(List.of("Dockerfile", "docker-compose.yml", "README.md",
                    "ovation-launcher/pom.xml"));
            Stream.concat(deploy, docs).filter(Files::isRegularFile)
                    .filter(p -> p.toString().matches(".*\\.(ya?ml|md|json)$"))
                    .map(p -> root.relativize(p).toString()).sorted().forEach(files::add);
            return files;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
