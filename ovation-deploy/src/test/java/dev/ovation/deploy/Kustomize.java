package dev.ovation.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Renders an overlay with {@code kubectl kustomize}, the renderer {@code kubectl apply -k} uses, and
 * splits the output into documents. Renders are cached per overlay: the files do not change during a run.
 */
final class Kustomize {

    static final ObjectMapper YAML = new YAMLMapper();
    private static final Map<String, Manifests> RENDERED = new ConcurrentHashMap<>();

    private Kustomize() {
    }

    /** The rendered overlay {@code deploy/k8s/overlays/<name>}. */
    static Manifests overlay(String name) {
        return RENDERED.computeIfAbsent(name, n -> render(Repository.path("deploy/k8s/overlays/" + n)));
    }

    /**
     * {@code deploy/k8s/overlays/<overlay>} with the component {@code component} (a path from the
     * repository's root) added as an overlay of one's own adds it, in the namespace and with the label
     * of the project's overlays; rendered from a kustomization written under {@code target/kustomize}.
     */
    static Manifests withComponent(String overlay, String component) {
        return RENDERED.computeIfAbsent(overlay + " + " + component, key -> {
            Path dir = Path.of("target", "kustomize", overlay + "-" + Path.of(component).getFileName()).toAbsolutePath();
            String kustomization = """
                    apiVersion: kustomize.config.k8s.io/v1beta1
                    kind: Kustomization
                    namespace: ovation
                    labels:
                      - pairs:
                          app.kubernetes.io/part-of: ovation
                    resources:
                      - %s
                    components:
                      - %s
                    """.formatted(dir.relativize(Repository.path("deploy/k8s/overlays/" + overlay)),
                    dir.relativize(Repository.path(component)));
            try {
                Files.createDirectories(dir);
                Files.writeString(dir.resolve("kustomization.yaml"), kustomization);
            } catch (IOException e) {
                throw new UncheckedIOException("could not write " + dir, e);
            }
            return render(dir);
        });
    }

    /** Renders any kustomization directory. */
    static Manifests render(Path directory) {
        String kubectl = kubectl();
        try {
            Process process = new ProcessBuilder(kubectl, "kustomize", directory.toString())
                    .redirectErrorStream(false).start();
            byte[] out = process.getInputStream().readAllBytes();
            byte[] err = process.getErrorStream().readAllBytes();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("kubectl kustomize " + directory + " did not finish in 60 s");
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException("kubectl kustomize " + directory + " failed:\n"
                        + new String(err, StandardCharsets.UTF_8));
            }
            return new Manifests(directory.getFileName().toString(), parse(new String(out, StandardCharsets.UTF_8)));
        } catch (IOException e) {
            throw new UncheckedIOException("could not run " + kubectl, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while rendering " + directory, e);
        }
    }

    /** Every document of a multi-document YAML text. */
    static List<JsonNode> parse(String yaml) {
        List<JsonNode> documents = new ArrayList<>();
        try (var parser = new YAMLFactory().createParser(yaml)) {
            var values = YAML.readValues(parser, JsonNode.class);
            while (values.hasNext()) {
                JsonNode document = values.next();
                if (document != null && !document.isNull() && !document.isEmpty()) {
                    documents.add(document);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("not YAML", e);
        }
        return documents;
    }

    /**
     * kubectl from {@code KUBECTL}, else from the PATH; fails with a message saying what to install when
     * neither has it, rather than skipping: a deployment that is not rendered is not tested.
     */
    static String kubectl() {
        String configured = System.getenv("KUBECTL");
        if (configured != null && !configured.isBlank()) {
            return configured;
        }
        String path = System.getenv().getOrDefault("PATH", "");
        for (String dir : path.split(File.pathSeparator)) {
            Path candidate = Path.of(dir, "kubectl");
            if (Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        throw new IllegalStateException("kubectl is not on the PATH (nor named by KUBECTL): the deployment tests"
                + " render deploy/k8s/overlays/* with 'kubectl kustomize'. Install kubectl 1.27 or newer"
                + " (https://kubernetes.io/docs/tasks/tools/); no cluster is needed.");
    }
}
