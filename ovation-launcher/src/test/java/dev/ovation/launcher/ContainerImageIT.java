package dev.ovation.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
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
 * the jar this build made), and runs the image's {@code ENTRYPOINT} there with this machine's
 * {@code java} for every role. What it cannot check here: the base image itself and running as
 * user 10001.
 */
class ContainerImageIT {

    private static final Path REPO = Path.of("..").toAbsolutePath().normalize();
    private static final Path BUILD_DIR = Path.of("target").toAbsolutePath();
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
        // ingest HTTP and gRPC, results, counter
        assertThat(dockerfile.ports()).containsExactlyInAnyOrder(8080, 50051, 8088, 8090);
    }

    @Test
    void shouldStartJavaWithoutAShell() {
        // exec form: the JVM is process 1 and gets the container's SIGTERM
        assertThat(dockerfile.entrypoint()).startsWith("java").endsWith("-jar", "/app/ovation.jar")
                .noneMatch(arg -> arg.equals("sh") || arg.equals("/bin/sh") || arg.equals("-c"));
        assertThat(dockerfile.cmd()).containsExactly("--help");
    }

    @Test
    void shouldHoldOnlyTheLauncherJar() {
        assertThat(dockerfile.files()).containsExactly(Map.entry("/app/ovation.jar", BUILD_DIR.resolve("ovation.jar")));
    }

    @Test
    void shouldBuildTheSameImageWithJibAsWithTheDockerfile() {
        assertThat(jib.base()).isEqualTo(dockerfile.base()).isEqualTo("eclipse-temurin:17-jre-noble");
        assertThat(jib.name()).isEqualTo("ghcr.io/ovation/ovation:${project.version}");
        assertThat(jib.user()).isEqualTo(dockerfile.user());
        assertThat(jib.ports()).containsExactlyInAnyOrderElementsOf(dockerfile.ports());
        assertThat(jib.entrypoint()).isEqualTo(dockerfile.entrypoint());
        assertThat(jib.cmd()).isEqualTo(dockerfile.cmd());
        assertThat(jib.workingDirectory()).isEqualTo(dockerfile.workingDirectory());
        assertThat(jib.files()).isEqualTo(dockerfile.files());
    }

    @Test
    void shouldKeepJibsOwnCopyOfTheClassesOutOfTheImage() throws Exception {
        // Jib lays out the classes and every dependency under /app besides the shaded jar: its layer filter drops them
        assertThat(jib.droppedGlobs()).containsExactlyInAnyOrder(
                "/app/libs/**", "/app/classes/**", "/app/resources/**", "/app/jib-*");
    }

    private static Image image(String name) {
        return name.equals("jib") ? jib : dockerfile;
    }

    record Run(int exitCode, String out, String err) {
    }

    /** What a container image holds and how it starts, as the Dockerfile or the Jib configuration says. */
    record Image(String base, String name, String user, List<Integer> ports, List<String> entrypoint,
                 List<String> cmd, String workingDirectory, Map<String, Path> files, List<String> droppedGlobs) {

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
            List<String> ignore = Files.readAllLines(dockerignore).stream()
                    .map(String::strip).filter(line -> !line.isEmpty() && !line.startsWith("#")).toList();
            for (String instruction : instructions(Files.readString(dockerfile))) {
                String[] parts = instruction.split("\\s+", 2);
                String argument = parts.length > 1 ? parts[1].strip() : "";
                switch (parts[0].toUpperCase()) {
                    case "FROM" -> {
                        base = argument;
                        files.clear();
                    }
                    case "COPY" -> {
                        List<String> words = List.of(argument.split("\\s+"));
                        assertThat(words).as("COPY %s: only plain copies from the context", argument)
                                .hasSize(2).noneMatch(word -> word.startsWith("--"));
                        // the context holds the file only when .dockerignore lets it in
                        assertThat(ignore).as(".dockerignore").containsExactly("*", "!" + words.get(0));
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
            return new Image(base, null, user, ports, entrypoint, cmd, workdir, files, List.of());
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
                assertThat(text(xpath, path, "from")).isEqualTo("${project.build.directory}");
                for (String include : texts(xpath, path, "includes")) {
                    files.put(text(xpath, path, "into") + "/" + include, BUILD_DIR.resolve(include));
                }
            }
            return new Image(text(xpath, config, "from/image"), text(xpath, config, "to/image"),
                    text(xpath, config, "container/user"),
                    texts(xpath, config, "container/ports/port").stream().map(Integer::valueOf).toList(),
                    texts(xpath, config, "container/entrypoint/arg"), texts(xpath, config, "container/args/arg"),
                    text(xpath, config, "container/workingDirectory"), files,
                    texts(xpath, config, "pluginExtensions/pluginExtension/configuration/filters/filter[not(toLayer)]/glob"));
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
