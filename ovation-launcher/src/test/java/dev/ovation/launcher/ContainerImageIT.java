package dev.ovation.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPath;
import javax.xml.xpath.XPathConstants;
import javax.xml.xpath.XPathExpressionException;
import javax.xml.xpath.XPathFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.w3c.dom.Document;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * The container image, without Docker: reads the {@code Dockerfile} and the Jib profile of this
 * module's {@code pom.xml}, lays out in a directory what {@code COPY} and Jib put in the image (from
 * the jars this build made in {@code target/image}), and runs the image's {@code ENTRYPOINT} there
 * with this machine's {@code java} for every role. What it cannot check here: the base image itself
 * and running as user 10001.
 */
class ContainerImageIT {

    private static final Path REPO = Path.of("..").toAbsolutePath().normalize();
    private static final Path BUILD_DIR = Path.of("target").toAbsolutePath();
    private static final Pattern PINNED_BASE = Pattern.compile("eclipse-temurin:17-jre-noble@(sha256:[0-9a-f]{64})");
    private static final List<String> ROLES =
            List.of("ingest", "counter", "results", "standalone", "infra", "recount", "loadgen");

    private static Image dockerfile;
    private static Image jib;

    @TempDir
    static Path images;

    @BeforeAll
    static void layOutBothImages() throws Exception {
        dockerfile = Image.fromDockerfile(REPO.resolve("Dockerfile"), REPO.resolve(".dockerignore"));
        jib = Image.fromJibProfile(REPO.resolve("ovation-launcher/pom.xml"));
        dockerfile.layOut(images.resolve("dockerfile"));
        jib.layOut(images.resolve("jib"));
    }

    static Stream<Arguments> imagesAndRoles() {
        return Stream.of("dockerfile", "jib").flatMap(image -> ROLES.stream().map(role -> Arguments.of(image, role)));
    }

    @ParameterizedTest(name = "{0}: {1} --help")
    @MethodSource("imagesAndRoles")
    void shouldGiveEveryRolesHelpThroughTheEntrypoint(String image, String role) throws Exception {
        // When the image's entrypoint runs with the role's --help
        Run run = image(image).run(images.resolve(image), role, "--help");

        // Then it exits 0 with the role's usage
        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out()).startsWith("Usage: ovation " + role);
        assertThat(run.err()).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("images")
    void shouldListTheRolesWhenRunWithoutArguments(String image) throws Exception {
        // When the image runs with its default arguments (CMD)
        Run run = image(image).run(images.resolve(image));

        // Then it prints the launcher's usage, naming every role
        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out()).startsWith("Usage: ovation").contains(ROLES);
    }

    static Stream<String> images() {
        return Stream.of("dockerfile", "jib");
    }

    @Test
    void shouldRunAsANumericUserOtherThanRoot() {
        assertThat(dockerfile.user()).matches("[0-9]+:[0-9]+");
        assertThat(Integer.parseInt(dockerfile.user().split(":")[0])).isNotZero();
        assertThat(Integer.parseInt(dockerfile.user().split(":")[1])).isNotZero();
    }

    @Test
    void shouldExposeThePortsOfEveryRole() {
        // ingest HTTP, management and gRPC, results HTTP and management, counter
        assertThat(dockerfile.ports()).containsExactlyInAnyOrder(8080, 8081, 50051, 8088, 8089, 8090);
    }

    @Test
    void shouldStartJavaWithoutAShell() {
        // exec form: the JVM is process 1 and gets the container's SIGTERM
        assertThat(dockerfile.entrypoint()).startsWith("java").endsWith("-jar", "/app/ovation.jar")
                .noneMatch(arg -> arg.equals("sh") || arg.equals("/bin/sh") || arg.equals("-c"));
        assertThat(dockerfile.cmd()).containsExactly("--help");
    }

    @Test
    void shouldHoldTheDependenciesAndOvationInTwoLayersDependenciesFirst() {
        // one COPY, one layer each: the third-party jar below, which a new build of Ovation leaves as it was
        assertThat(dockerfile.files()).containsExactly(
                Map.entry("/app/lib/ovation-dependencies.jar", BUILD_DIR.resolve("image/lib/ovation-dependencies.jar")),
                Map.entry("/app/ovation.jar", BUILD_DIR.resolve("image/ovation.jar")));
    }

    @Test
    void shouldSplitTheEntriesOfTheTestedJarBetweenTheTwoJars() throws IOException {
        // Given the shaded jar the other tests ran, and the two jars of the image
        Map<String, Set<String>> fat = entries(BUILD_DIR.resolve("ovation.jar"));
        Map<String, Set<String>> ovation = entries(BUILD_DIR.resolve("image/ovation.jar"));
        Map<String, Set<String>> dependencies = entries(BUILD_DIR.resolve("image/lib/ovation-dependencies.jar"));

        // Then together they hold its entries (a service file's lines split between the two), each class once,
        // Ovation's own in the small jar
        Map<String, Set<String>> together = new TreeMap<>(dependencies);
        ovation.forEach((name, lines) -> together.merge(name, lines, (a, b) -> {
            Set<String> union = new TreeSet<>(a);
            union.addAll(b);
            return union;
        }));
        assertThat(together).isEqualTo(fat);
        assertThat(ovation.keySet()).filteredOn(name -> name.endsWith(".class"))
                .doesNotContainAnyElementsOf(dependencies.keySet())
                .allMatch(name -> name.startsWith("dev/ovation/"));
        assertThat(dependencies.keySet()).noneMatch(name -> name.startsWith("dev/ovation/"));
    }

    @Test
    void shouldRunFromTheOvationJarWithTheDependenciesOnItsClassPath() throws IOException {
        try (JarFile jar = new JarFile(BUILD_DIR.resolve("image/ovation.jar").toFile())) {
            assertThat(jar.getManifest().getMainAttributes().getValue("Main-Class")).isEqualTo(Main.class.getName());
            assertThat(jar.getManifest().getMainAttributes().getValue("Class-Path")).isEqualTo("lib/ovation-dependencies.jar");
        }
        try (JarFile jar = new JarFile(BUILD_DIR.resolve("image/lib/ovation-dependencies.jar").toFile())) {
            // the versioned classes of the dependencies are used on Java 17 as in the shaded jar
            assertThat(jar.getManifest().getMainAttributes().getValue("Multi-Release")).isEqualTo("true");
        }
    }

    @Test
    void shouldPinTheBaseImageByDigestAndLabelIt() {
        Matcher base = PINNED_BASE.matcher(dockerfile.base());
        assertThat(base.matches()).as("FROM %s: the base pinned by its digest", dockerfile.base()).isTrue();
        assertThat(dockerfile.labels()).containsEntry("org.opencontainers.image.base.digest", base.group(1))
                .containsEntry("org.opencontainers.image.base.name", "docker.io/library/eclipse-temurin:17-jre-noble")
                .containsEntry("org.opencontainers.image.title", "Ovation")
                .containsKeys("org.opencontainers.image.version", "org.opencontainers.image.revision",
                        "org.opencontainers.image.created", "org.opencontainers.image.source",
                        "org.opencontainers.image.description");
        // the version label is the project's, as the image's tag is (ovation-deploy's ImageTagTest)
        assertThat(dockerfile.labels().get("org.opencontainers.image.version")).isEqualTo(Pom.version());
    }

    @Test
    void shouldBuildTheSameImageWithJibAsWithTheDockerfile() {
        assertThat(jib.base()).isEqualTo(dockerfile.base()).matches(PINNED_BASE);
        assertThat(jib.name()).isEqualTo("ghcr.io/ovation/ovation:${project.version}");
        assertThat(jib.user()).isEqualTo(dockerfile.user());
        assertThat(jib.ports()).containsExactlyInAnyOrderElementsOf(dockerfile.ports());
        assertThat(jib.entrypoint()).isEqualTo(dockerfile.entrypoint());
        assertThat(jib.cmd()).isEqualTo(dockerfile.cmd());
        assertThat(jib.workingDirectory()).isEqualTo(dockerfile.workingDirectory());
        assertThat(jib.files()).isEqualTo(dockerfile.files());
        // the same labels; Jib's version, revision and creation time come from Maven properties
        Map<String, String> jibLabels = new TreeMap<>(jib.labels());
        jibLabels.replace("org.opencontainers.image.version", "${project.version}", Pom.version());
        assertThat(jibLabels.keySet()).isEqualTo(new TreeSet<>(dockerfile.labels().keySet()));
        for (String built : List.of("org.opencontainers.image.revision", "org.opencontainers.image.created")) {
            jibLabels.remove(built);
        }
        assertThat(dockerfile.labels()).containsAllEntriesOf(jibLabels);
    }

    @Test
    void shouldKeepJibsOwnCopyOfTheClassesOutOfTheImageAndTheDependenciesInALayerOfTheirOwn() throws Exception {
        // Jib lays out the classes and every dependency under /app besides the two jars: its layer filter drops them
        assertThat(jib.droppedGlobs()).containsExactlyInAnyOrder(
                "/app/libs/**", "/app/classes/**", "/app/resources/**", "/app/jib-*");
        // and moves the dependencies' jar out of the layer of extra files, as the Dockerfile's first COPY does
        assertThat(jib.layers()).containsExactly(Map.entry("/app/lib/**", "dependencies"));
    }

    /** Entry names of a jar with, for a service file, its provider lines (other entries: none). */
    private static Map<String, Set<String>> entries(Path jar) throws IOException {
        Map<String, Set<String>> entries = new TreeMap<>();
        try (JarFile file = new JarFile(jar.toFile())) {
            for (var entry : Collections.list(file.entries())) {
                String name = entry.getName();
                if (entry.isDirectory() || name.equals("META-INF/MANIFEST.MF")) {
                    continue;
                }
                Set<String> lines = new TreeSet<>();
                if (name.startsWith("META-INF/services/")) {
                    try (var in = file.getInputStream(entry)) {
                        new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().map(String::strip)
                                .filter(line -> !line.isEmpty() && !line.startsWith("#")).forEach(lines::add);
                    }
                }
                entries.put(name, lines);
            }
        }
        return entries;
    }

    /** The project's version, from the pom of the repository's root. */
    private static final class Pom {
        static String version() {
            try {
                Document pom = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(REPO.resolve("pom.xml").toFile());
                return ((String) XPathFactory.newInstance().newXPath().evaluate("/project/version", pom, XPathConstants.STRING)).strip();
            } catch (Exception e) {
                throw new IllegalStateException("could not read the version of " + REPO.resolve("pom.xml"), e);
            }
        }
    }

    private static Image image(String name) {
        return name.equals("jib") ? jib : dockerfile;
    }

    record Run(int exitCode, String out, String err) {
    }

    /** What a container image holds and how it starts, as the Dockerfile or the Jib configuration says. */
    record Image(String base, String name, String user, List<Integer> ports, List<String> entrypoint,
                 List<String> cmd, String workingDirectory, Map<String, Path> files, List<String> droppedGlobs,
                 Map<String, String> layers, Map<String, String> labels) {

        private static final Pattern LABEL = Pattern.compile("([A-Za-z0-9._-]+)=\"((?:[^\"\\\\]|\\\\.)*)\"");
        private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Za-z0-9_]+)}");

        private static final ObjectMapper JSON = new ObjectMapper();

        /** The last stage of a Dockerfile; fails on what this reading does not know, rather than ignore it. */
        static Image fromDockerfile(Path dockerfile, Path dockerignore) throws IOException {
            String base = null;
            String user = null;
            String workdir = "/";
            List<Integer> ports = new ArrayList<>();
            List<String> entrypoint = null;
            List<String> cmd = List.of();
            Map<String, Path> files = new LinkedHashMap<>();
            Map<String, String> args = new LinkedHashMap<>();
            Map<String, String> labels = new TreeMap<>();
            List<String> ignore = Files.readAllLines(dockerignore).stream()
                    .map(String::strip).filter(line -> !line.isEmpty() && !line.startsWith("#")).toList();
            // the context is one directory: everything else stays out of it
            assertThat(ignore).as(".dockerignore").hasSize(2).startsWith("*");
            String context = ignore.get(1).substring(1);
            for (String instruction : instructions(Files.readString(dockerfile))) {
                String[] parts = instruction.split("\\s+", 2);
                String argument = parts.length > 1 ? parts[1].strip() : "";
                switch (parts[0].toUpperCase()) {
                    case "FROM" -> {
                        base = argument;
                        files.clear();
                    }
                    case "ARG" -> {
                        String[] arg = argument.split("=", 2);
                        args.put(arg[0], arg.length > 1 ? arg[1] : "");
                    }
                    case "LABEL" -> {
                        Matcher label = LABEL.matcher(argument);
                        int end = 0;
                        while (label.find()) {
                            assertThat(argument.substring(end, label.start())).as("LABEL %s", argument).isBlank();
                            labels.put(label.group(1), substitute(label.group(2), args));
                            end = label.end();
                        }
                        assertThat(argument.substring(end)).as("LABEL %s: key=\"value\" pairs", argument).isBlank();
                    }
                    case "COPY" -> {
                        List<String> words = List.of(argument.split("\\s+"));
                        assertThat(words).as("COPY %s: only plain copies from the context", argument)
                                .hasSize(2).noneMatch(word -> word.startsWith("--"));
                        // the context holds the file only when .dockerignore lets it in
                        assertThat(words.get(0)).as("COPY %s, with .dockerignore's %s", argument, ignore)
                                .startsWith(context + "/");
                        files.put(words.get(1), dockerfile.getParent().resolve(words.get(0)));
                    }
                    case "USER" -> user = argument;
                    case "WORKDIR" -> workdir = argument;
                    case "EXPOSE" -> Stream.of(argument.split("\\s+")).map(Integer::valueOf).forEach(ports::add);
                    case "ENTRYPOINT" -> entrypoint = execForm(argument);
                    case "CMD" -> cmd = execForm(argument);
                    default -> throw new AssertionError("an instruction this test does not know: " + instruction);
                }
            }
            return new Image(base, null, user, ports, entrypoint, cmd, workdir, files, List.of(), Map.of(), labels);
        }

        /** {@code ${NAME}} replaced by the ARG's default (empty when it has none), as docker build does. */
        private static String substitute(String value, Map<String, String> args) {
            Matcher variable = VARIABLE.matcher(value);
            StringBuilder out = new StringBuilder();
            while (variable.find()) {
                assertThat(args).as("ARG %s before its use", variable.group(1)).containsKey(variable.group(1));
                variable.appendReplacement(out, Matcher.quoteReplacement(args.get(variable.group(1))));
            }
            return variable.appendTail(out).toString();
        }

        /** The Jib profile's configuration; {@code ${project.build.directory}} is this module's target. */
        static Image fromJibProfile(Path pom) throws Exception {
            Document document = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(pom.toFile());
            XPath xpath = XPathFactory.newInstance().newXPath();
            Node plugin = (Node) xpath.evaluate(
                    "/project/profiles/profile[id='jib']/build/plugins/plugin[artifactId='jib-maven-plugin']",
                    document, XPathConstants.NODE);
            assertThat(plugin).as("the jib profile's jib-maven-plugin").isNotNull();
            assertThat(text(xpath, plugin, "version")).isEqualTo("3.5.2");
            Node config = (Node) xpath.evaluate("configuration", plugin, XPathConstants.NODE);
            Map<String, Path> files = new LinkedHashMap<>();
            NodeList paths = (NodeList) xpath.evaluate("extraDirectories/paths/path", config, XPathConstants.NODESET);
            for (int i = 0; i < paths.getLength(); i++) {
                Node path = paths.item(i);
                String from = text(xpath, path, "from");
                assertThat(from).startsWith("${project.build.directory}");
                Path directory = BUILD_DIR.resolve(from.substring("${project.build.directory}".length()).replaceFirst("^/", ""));
                for (String includes : texts(xpath, path, "includes")) {
                    for (String include : includes.split(",")) {
                        files.put(text(xpath, path, "into") + "/" + include.strip(), directory.resolve(include.strip()));
                    }
                }
            }
            Map<String, String> layers = new LinkedHashMap<>();
            NodeList moved = (NodeList) xpath.evaluate("pluginExtensions/pluginExtension/configuration/filters/filter[toLayer]",
                    config, XPathConstants.NODESET);
            for (int i = 0; i < moved.getLength(); i++) {
                layers.put(text(xpath, moved.item(i), "glob"), text(xpath, moved.item(i), "toLayer"));
            }
            Map<String, String> labels = new TreeMap<>();
            NodeList labelNodes = (NodeList) xpath.evaluate("container/labels/*", config, XPathConstants.NODESET);
            for (int i = 0; i < labelNodes.getLength(); i++) {
                labels.put(labelNodes.item(i).getNodeName(), labelNodes.item(i).getTextContent().strip());
            }
            return new Image(text(xpath, config, "from/image"), text(xpath, config, "to/image"),
                    text(xpath, config, "container/user"),
                    texts(xpath, config, "container/ports/port").stream().map(Integer::valueOf).toList(),
                    texts(xpath, config, "container/entrypoint/arg"), texts(xpath, config, "container/args/arg"),
                    text(xpath, config, "container/workingDirectory"), files,
                    texts(xpath, config, "pluginExtensions/pluginExtension/configuration/filters/filter[not(toLayer)]/glob"),
                    layers, labels);
        }

        /** Copies what the image holds into {@code root}, at the same paths. */
        void layOut(Path root) throws IOException {
            Files.createDirectories(inside(root, workingDirectory));
            for (Map.Entry<String, Path> file : files.entrySet()) {
                assertThat(file.getValue()).as("built by this build").isRegularFile();
                Path target = inside(root, file.getKey());
                Files.createDirectories(target.getParent());
                Files.copy(file.getValue(), target);
            }
        }

        /**
         * Runs the entrypoint with {@code args} (the image's CMD when none) in the image laid out at
         * {@code root}: {@code java} is this machine's, and paths of the image are read under {@code root}.
         */
        Run run(Path root, String... args) throws IOException, InterruptedException {
            List<String> command = new ArrayList<>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            for (String arg : entrypoint.subList(1, entrypoint.size())) {
                command.add(files.containsKey(arg) ? inside(root, arg).toString() : arg);
            }
            command.addAll(args.length == 0 ? cmd : List.of(args));
            Path out = Files.createTempFile(root, "out", ".txt");
            Path err = Files.createTempFile(root, "err", ".txt");
            ProcessBuilder builder = new ProcessBuilder(command).directory(inside(root, workingDirectory).toFile())
                    .redirectOutput(out.toFile()).redirectError(err.toFile());
            // the image sets no Ovation setting and no JVM option of its own
            builder.environment().keySet().removeIf(name -> name.startsWith("OVATION_") || name.startsWith("JAVA_")
                    || name.equals("JDK_JAVA_OPTIONS"));
            Process process = builder.start();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError(command + " did not exit within 60 s");
            }
            return new Run(process.exitValue(), Files.readString(out), Files.readString(err));
        }

        private static Path inside(Path root, String imagePath) {
            return root.resolve(imagePath.replaceFirst("^/+", ""));
        }

        /** The instructions, one per element: comments dropped, continued lines joined. */
        private static List<String> instructions(String dockerfile) {
            List<String> instructions = new ArrayList<>();
            StringBuilder current = new StringBuilder();
            for (String line : dockerfile.split("\n")) {
                String stripped = line.strip();
                if (stripped.startsWith("#") || (stripped.isEmpty() && current.isEmpty())) {
                    continue;
                }
                if (stripped.endsWith("\\")) {
                    current.append(stripped, 0, stripped.length() - 1).append(' ');
                    continue;
                }
                current.append(stripped);
                instructions.add(current.toString().strip());
                current.setLength(0);
            }
            return instructions;
        }

        private static List<String> execForm(String argument) {
            assertThat(argument).as("exec form (a JSON array): no shell in between").startsWith("[");
            try {
                return JSON.readValue(argument, new TypeReference<List<String>>() { });
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private static String text(XPath xpath, Node node, String path) throws XPathExpressionException {
            return ((String) xpath.evaluate(path, node, XPathConstants.STRING)).strip();
        }

        private static List<String> texts(XPath xpath, Node node, String path) throws XPathExpressionException {
            NodeList nodes = (NodeList) xpath.evaluate(path, node, XPathConstants.NODESET);
            List<String> texts = new ArrayList<>();
            for (int i = 0; i < nodes.getLength(); i++) {
                texts.add(nodes.item(i).getTextContent().strip());
            }
            return texts;
        }
    }
}
