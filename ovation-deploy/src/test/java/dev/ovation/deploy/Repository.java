package dev.ovation.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPathConstants;
import javax.xml.xpath.XPathFactory;

/** Paths of the repository these tests check, found from the working directory (the module's, under Maven). */
final class Repository {

    private Repository() {
    }

    /** The repository's root: the nearest directory upwards holding {@code deploy/k8s}. */
    static Path root() {
        Path dir = Path.of("").toAbsolutePath();
        for (Path candidate = dir; candidate != null; candidate = candidate.getParent()) {
            if (Files.isDirectory(candidate.resolve("deploy/k8s"))) {
                return candidate;
            }
        }
        throw new IllegalStateException("no deploy/k8s above " + dir);
    }

    static Path path(String relative) {
        return root().resolve(relative);
    }

    static String read(String relative) {
        try {
            return Files.readString(path(relative));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The Maven project's version ({@code /project/version} of the root pom.xml): the image's tag. */
    static String projectVersion() {
        try {
            var pom = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                    .parse(path("pom.xml").toFile());
            return ((String) XPathFactory.newInstance().newXPath()
                    .evaluate("/project/version", pom, XPathConstants.STRING)).strip();
        } catch (Exception e) {
            throw new IllegalStateException("could not read the version of " + path("pom.xml"), e);
        }
    }

    /** The overlays under deploy/k8s/overlays, by directory name, so that a new overlay is checked too. */
    static List<String> overlays() {
        try (Stream<Path> dirs = Files.list(path("deploy/k8s/overlays"))) {
            return dirs.filter(d -> Files.isRegularFile(d.resolve("kustomization.yaml")))
                    .map(d -> d.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
