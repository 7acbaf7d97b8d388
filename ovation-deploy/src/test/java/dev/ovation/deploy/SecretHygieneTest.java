package dev.ovation.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.EnvVar;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** No password, token or key is written in a manifest or in docker-compose.yml: they come from Secrets or the shell. */
class SecretHygieneTest {

    /**
     * A name that says it holds a credential; not one that names where a credential is
     * ({@code secretName}, {@code ...Ref}) or switches one off ({@code automountServiceAccountToken}).
     */
    static final Pattern CREDENTIAL_NAME = Pattern.compile(
            "(?i)(?!automountServiceAccountToken$)(?!.*(name|ref)$).*(password|passwd|token|apikey|api_key|credential).*");
    /** user:password@ in a URI, unless the password is a reference: $(VAR) for Kubernetes, ${VAR} for Compose. */
    static final Pattern URI_PASSWORD = Pattern.compile("://[^/\\s:@\"']+:(?!\\$\\(|\\$\\{)[^@\\s\"']+@");

    static List<String> overlays() {
        return Repository.overlays();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("overlays")
    void shouldHoldNoSecretObjectAndTakeEveryCredentialFromOne(String overlay) {
        Manifests manifests = Kustomize.overlay(overlay);
        List<String> errors = new ArrayList<>();
        for (JsonNode document : manifests.documents()) {
            if (document.path("kind").asText().equals("Secret")) {
                errors.add("Secret " + document.at("/metadata/name").asText() + " is in the manifests;"
                        + " the guide creates Secrets instead");
            }
        }
        for (Manifests.Workload workload : manifests.workloads()) {
            workload.allContainers().forEach(container -> {
                for (EnvVar var : container.getEnv()) {
                    if (CREDENTIAL_NAME.matcher(var.getName()).matches() && var.getValue() != null) {
                        errors.add(workload.name() + " sets " + var.getName() + " to a literal value");
                    }
                }
            });
        }
        assertThat(errors).isEmpty();
    }

    @Test
    void shouldWriteNoPasswordInAnyDeploymentFile() {
        List<String> errors = new ArrayList<>();
        for (Path file : deploymentFiles()) {
            String text = read(file);
            Matcher uri = URI_PASSWORD.matcher(text);
            while (uri.find()) {
                errors.add(file + ": a password in a URI: " + uri.group());
            }
            for (String line : text.split("\\R")) {
                Matcher field = Pattern.compile("^\\s*-?\\s*([A-Za-z0-9_.-]+)\\s*[:=]\\s*(\\S.*)$").matcher(line);
                if (field.matches() && CREDENTIAL_NAME.matcher(field.group(1)).matches()
                        && !isReference(field.group(2))) {
                    errors.add(file + ": " + line.strip());
                }
            }
        }
        assertThat(errors).isEmpty();
    }

    @Test
    void shouldCatchAPasswordWrittenIntoAUri() {
        assertThat(URI_PASSWORD.matcher("mongodb://ovation:hunter2@mongodb-0.mongodb:27017/").find()).isTrue();
        assertThat(URI_PASSWORD.matcher("mongodb://ovation:$(MONGO_PASSWORD)@mongodb-0.mongodb:27017/").find()).isFalse();
        assertThat(URI_PASSWORD.matcher("mongodb://ovation:${MONGO_PASSWORD}@mongodb:27017/").find()).isFalse();
    }

    /** A value that names where the credential comes from (the environment, a Secret's key) rather than holding it. */
    static boolean isReference(String value) {
        String v = value.strip().replaceAll("^[\"']|[\"']$", "");
        return v.isEmpty() || v.startsWith("${") || v.startsWith("$(") || v.startsWith("#");
    }

    @Test
    void shouldTellACredentialFromAFieldThatNamesOne() {
        assertThat(CREDENTIAL_NAME.matcher("OVATION_ADMIN_TOKEN").matches()).isTrue();
        assertThat(CREDENTIAL_NAME.matcher("GF_SECURITY_ADMIN_PASSWORD").matches()).isTrue();
        assertThat(CREDENTIAL_NAME.matcher("password").matches()).isTrue();
        assertThat(CREDENTIAL_NAME.matcher("secretName").matches()).isFalse();
        assertThat(CREDENTIAL_NAME.matcher("automountServiceAccountToken").matches()).isFalse();
    }

    @Test
    void shouldTellAReferenceFromALiteral() {
        assertThat(isReference("${OVATION_ADMIN_TOKEN:-}")).isTrue();
        assertThat(isReference("\"$(MONGO_PASSWORD)\"")).isTrue();
        assertThat(isReference("hunter2")).isFalse();
        assertThat(isReference("\"s3cr3t\"")).isFalse();
    }

    static List<Path> deploymentFiles() {
        List<Path> files = new ArrayList<>();
        for (String dir : List.of("deploy/k8s", "deploy/compose")) {
            Path root = Repository.path(dir);
            if (Files.isDirectory(root)) {
                try (Stream<Path> walk = Files.walk(root)) {
                    walk.filter(Files::isRegularFile).forEach(files::add);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
        files.add(Repository.path("docker-compose.yml"));
        return files;
    }

    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
