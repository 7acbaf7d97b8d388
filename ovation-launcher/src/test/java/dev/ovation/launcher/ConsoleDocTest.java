package dev.ovation.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** How ConsoleDocsIT reads a page's shell blocks and their docs-test markings (docs/testing.md). */
class ConsoleDocTest {

    @Test
    void shouldReadCommandsTheirContinuationsAndTheOutputUnderEach() {
        ConsoleDoc doc = ConsoleDoc.parse("page.md", """
                # Title

                ```console
                $ curl -s -w '  %{http_code}\\n' localhost:8080/api/votes \\
                    -d '{"album":"Abbey Road"}'
                {"error":"invalid_vote"}  400
                $ export TOKEN=x
                ```

                ```json
                {"not": "run"}
                ```
                """);

        assertThat(doc.blocks()).hasSize(1);
        ConsoleDoc.Block block = doc.blocks().get(0);
        assertThat(block.line()).isEqualTo(3);
        assertThat(block.commands()).containsExactly(
                new ConsoleDoc.Command(4, "curl -s -w '  %{http_code}\\n' localhost:8080/api/votes \\\n    -d '{\"album\":\"Abbey Road\"}'",
                        List.of("{\"error\":\"invalid_vote\"}  400")),
                new ConsoleDoc.Command(7, "export TOKEN=x", List.of()));
    }

    @Test
    void shouldReadAnShBlockAsCommandsWithoutOutput() {
        ConsoleDoc doc = ConsoleDoc.parse("page.md", """
                ```sh
                # a comment
                ./mvnw -pl ovation-model test \\
                    -Dtest=VoteValidatorTest
                ```
                """);

        assertThat(doc.blocks().get(0).commands()).containsExactly(
                new ConsoleDoc.Command(3, "./mvnw -pl ovation-model test \\\n    -Dtest=VoteValidatorTest", List.of()));
    }

    @Test
    void shouldReadSkipAndBackgroundMarkings() {
        ConsoleDoc doc = ConsoleDoc.parse("page.md", """
                <!-- docs-test: skip (needs grpcurl) -->
                ```console
                $ grpcurl -plaintext localhost:50051 list
                ```

                <!-- docs-test: background ./ovation standalone, ready when http://localhost:8080/health/ready; background prometheus, ready when http://127.0.0.1:9090/-/ready -->
                ```console
                $ ./ovation standalone --data-dir /tmp/ovation-observe
                $ prometheus --config.file=deploy/prometheus/standalone.yml
                $ curl -s 127.0.0.1:9090/api/v1/targets
                ```
                """);

        assertThat(doc.blocks().get(0).marking().skip()).contains("needs grpcurl");
        ConsoleDoc.Block block = doc.blocks().get(1);
        assertThat(block.background(block.commands().get(0)))
                .contains(new ConsoleDoc.Background(Optional.of("./ovation standalone"), Optional.of("http://localhost:8080/health/ready")));
        assertThat(block.background(block.commands().get(1))).flatMap(ConsoleDoc.Background::readyUrl)
                .contains("http://127.0.0.1:9090/-/ready");
        assertThat(block.background(block.commands().get(2))).isEmpty();
    }

    @Test
    void shouldReadHowLongTheReadsOfABlockAreRetried() {
        ConsoleDoc doc = ConsoleDoc.parse("page.md", """
                <!-- docs-test: background prometheus, ready when http://127.0.0.1:9090/-/ready; retry reads for 20 s (scrapes) -->
                ```console
                $ prometheus --config.file=deploy/prometheus/standalone.yml
                $ curl -s 127.0.0.1:9090/api/v1/targets
                ```
                """);

        assertThat(doc.blocks().get(0).marking().retryReads()).contains(Duration.ofSeconds(20));
        assertThat(doc.blocks().get(0).marking().backgrounds()).hasSize(1);
    }

    @Test
    void shouldReadABackgroundReadyOnceItPrintedItsSample() {
        ConsoleDoc doc = ConsoleDoc.parse("page.md", """
                <!-- docs-test: background, ready when printed -->
                ```console
                $ ./ovation infra --data-dir /tmp/ovation-roles
                Press Ctrl-C to stop.
                ```
                """);

        ConsoleDoc.Block block = doc.blocks().get(0);
        assertThat(block.background(block.commands().get(0))).contains(new ConsoleDoc.Background(Optional.empty(), Optional.empty()));
    }

    @Test
    void shouldPutABackgroundMarkingWithoutCommandOnTheFirstCommand() {
        ConsoleDoc doc = ConsoleDoc.parse("page.md", """
                <!-- docs-test: background, ready when http://localhost:8080/health/ready -->
                ```sh
                ./ovation standalone
                ./ovation --help
                ```
                """);

        ConsoleDoc.Block block = doc.blocks().get(0);
        assertThat(block.background(block.commands().get(0))).isPresent();
        assertThat(block.background(block.commands().get(1))).isEmpty();
    }

    @Test
    void shouldReadAPageSkip() {
        ConsoleDoc doc = ConsoleDoc.parse("page.md", """
                # Runbooks

                <!-- docs-test: skip page (needs Kubernetes) -->

                ```sh
                kubectl get pods
                ```
                """);

        assertThat(doc.skipPage()).contains("needs Kubernetes");
        assertThat(doc.blocks()).hasSize(1);
    }

    @Test
    void shouldRefuseAMarkingItCannotReadOrThatMarksNoShellBlock() {
        assertThatThrownBy(() -> ConsoleDoc.parse("page.md", "<!-- docs-test: skip -->\n```sh\nls\n```\n"))
                .hasMessageContaining("page.md:1: cannot read the docs-test marking 'skip'");
        assertThatThrownBy(() -> ConsoleDoc.parse("page.md", "<!-- docs-test: skip (why) -->\n```yaml\na: 1\n```\n"))
                .hasMessageContaining("before a ```yaml block, which is never run");
        assertThatThrownBy(() -> ConsoleDoc.parse("page.md", "<!-- docs-test: skip (why) -->\nsome text\n```sh\nls\n```\n"))
                .hasMessageContaining("must come just before");
    }
}
