package dev.ovation.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.ConfigMap;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The alert rules, deploy/prometheus/alerts.yml: promtool accepts them and passes their unit tests
 * (deploy/prometheus/alerts-test.yml), which see every alert fire and not fire; every alert has a
 * severity, a summary, a description and its own section of docs/runbooks.md; the Prometheus
 * configurations that load the rules are valid, and the Prometheus of every Kubernetes overlay loads them.
 * Needs promtool (Debian's prometheus package): without it the promtool tests are skipped, or fail when
 * CI=true.
 */
class AlertRulesTest {

    static final String RULES = "deploy/prometheus/alerts.yml";
    static final String RULE_TESTS = "deploy/prometheus/alerts-test.yml";
    static final String RUNBOOKS = "docs/runbooks.md";
    private static final Pattern RUNBOOK_URL = Pattern.compile("docs/runbooks\\.md#([a-z0-9_-]+)");
    private static final Pattern LOCAL_LINK = Pattern.compile("]\\(([a-zA-Z0-9_./-]*\\.md)?#([^)\\s]+)\\)");

    @Test
    void shouldPassPromtoolsCheckOfTheRules() {
        Promtool.Outcome check = Promtool.run(Repository.root(), "check", "rules", RULES);

        assertThat(check.exitCode()).as("promtool check rules %s:%n%s", RULES, check.output()).isZero();
        assertThat(check.output()).contains("SUCCESS: " + alerts().size() + " rules found");
    }

    @Test
    void shouldPassTheUnitTestsOfTheRules() {
        Promtool.Outcome test = Promtool.run(Repository.root(), "test", "rules", RULE_TESTS);

        assertThat(test.exitCode()).as("promtool test rules %s:%n%s", RULE_TESTS, test.output()).isZero();
        assertThat(test.output()).contains("SUCCESS");
    }

    @Test
    void shouldTestEveryAlertFiringAndNotFiringWithItsLabelsAndAnnotations() {
        Map<String, JsonNode> alerts = alerts();
        JsonNode tests = Kustomize.parse(Repository.read(RULE_TESTS)).get(0);
        assertThat(tests.path("rule_files").toString()).isEqualTo("[\"alerts.yml\"]");
        Set<String> firing = new TreeSet<>();
        Set<String> quiet = new TreeSet<>();
        List<String> errors = new ArrayList<>();
        for (JsonNode test : tests.path("tests")) {
            for (JsonNode check : test.path("alert_rule_test")) {
                String name = check.path("alertname").asText();
                JsonNode rule = alerts.get(name);
                if (rule == null) {
                    // promtool would find no such alert and pass a case that expects none
                    errors.add("test '" + test.path("name").asText() + "' checks " + name + ", which is no alert of " + RULES);
                    continue;
                }
                JsonNode expected = check.path("exp_alerts");
                (expected.isEmpty() ? quiet : firing).add(name);
                for (JsonNode alert : expected) {
                    if (!alert.at("/exp_labels/severity").asText().equals(rule.at("/labels/severity").asText())) {
                        errors.add(name + " in '" + test.path("name").asText() + "' expects another severity than the rule's");
                    }
                    if (!fieldNames(alert.path("exp_annotations")).equals(Set.of("summary", "description", "runbook_url"))) {
                        errors.add(name + " in '" + test.path("name").asText() + "' does not expect all three annotations");
                    }
                }
            }
        }

        assertThat(errors).isEmpty();
        assertThat(firing).as("alerts with a case that fires them").isEqualTo(alerts.keySet());
        assertThat(quiet).as("alerts with a case that does not fire them").isEqualTo(alerts.keySet());
    }

    @Test
    void shouldGiveEveryAlertASeverityASummaryADescriptionAndARunbook() {
        List<String> errors = new ArrayList<>();
        alerts().forEach((name, rule) -> {
            if (!Set.of("page", "ticket").contains(rule.at("/labels/severity").asText())) {
                errors.add(name + ": severity must be page or ticket, not '" + rule.at("/labels/severity").asText() + "'");
            }
            for (String annotation : List.of("summary", "description", "runbook_url")) {
                if (rule.path("annotations").path(annotation).asText().isBlank()) {
                    errors.add(name + ": no " + annotation);
                }
            }
            if (!RUNBOOK_URL.matcher(rule.at("/annotations/runbook_url").asText()).matches()) {
                errors.add(name + ": runbook_url is not docs/runbooks.md#<anchor>");
            }
        });

        assertThat(errors).isEmpty();
    }

    @Test
    void shouldGiveEveryAlertItsOwnSectionOfTheRunbooks() {
        Set<String> headings = MarkdownAnchors.of(Repository.read(RUNBOOKS));
        Map<String, String> anchorOf = new LinkedHashMap<>();
        List<String> errors = new ArrayList<>();
        alerts().forEach((name, rule) -> {
            Matcher url = RUNBOOK_URL.matcher(rule.at("/annotations/runbook_url").asText());
            String anchor = url.matches() ? url.group(1) : "";
            if (!headings.contains(anchor)) {
                errors.add(name + ": " + RUNBOOKS + " has no heading with the anchor '" + anchor + "'");
            }
            if (anchorOf.containsValue(anchor)) {
                errors.add(name + ": shares its runbook section '" + anchor + "' with another alert");
            }
            anchorOf.put(name, anchor);
        });

        assertThat(errors).isEmpty();
        assertThat(anchorOf).hasSize(alerts().size());
    }

    @Test
    void shouldLinkTheRunbooksOnlyToHeadingsThatExist() {
        Path docs = Repository.path(RUNBOOKS).getParent();
        List<String> broken = new ArrayList<>();
        Matcher link = LOCAL_LINK.matcher(Repository.read(RUNBOOKS));
        int links = 0;
        while (link.find()) {
            links++;
            Path target = link.group(1) == null ? Repository.path(RUNBOOKS) : docs.resolve(link.group(1)).normalize();
            String text;
            try {
                text = Files.readString(target);
            } catch (IOException e) {
                broken.add(link.group(1) + "#" + link.group(2) + ": no file " + target);
                continue;
            }
            if (!MarkdownAnchors.of(text).contains(link.group(2))) {
                broken.add("#" + link.group(2) + ": no such heading in " + Repository.root().relativize(target));
            }
        }

        assertThat(broken).isEmpty();
        assertThat(links).as("links to a heading checked").isGreaterThan(alerts().size());
    }

    @Test
    void shouldMakeTheAnchorsGitHubMakes() {
        // headings of this repository and the anchors its documents link to
        assertThat(MarkdownAnchors.anchor("Scrape `./ovation standalone`")).isEqualTo("scrape-ovation-standalone");
        assertThat(MarkdownAnchors.anchor("7. Redis: failover and what it costs"))
                .isEqualTo("7-redis-failover-and-what-it-costs");
        assertThat(MarkdownAnchors.anchor("The opening: `bench/opening.sh`")).isEqualTo("the-opening-benchopeningsh");
        assertThat(MarkdownAnchors.anchor("OvationVotesNotStored")).isEqualTo("ovationvotesnotstored");
        assertThat(MarkdownAnchors.of("""
                # Title
                ## Check
                ```sh
                # a comment in a shell block, no heading
                ```
                ## Check
                ### See [the API](api.md)
                """)).containsExactly("title", "check", "check-1", "see-the-api");
    }

    @Test
    void shouldLoadTheRulesIntoThePrometheusOfStandalone() {
        JsonNode config = Kustomize.parse(Repository.read("deploy/prometheus/standalone.yml")).get(0);
        assertThat(config.path("rule_files").toString()).isEqualTo("[\"alerts.yml\"]");

        Promtool.Outcome check = Promtool.run(Repository.root(), "check", "config", "deploy/prometheus/standalone.yml");

        assertThat(check.exitCode()).as("promtool check config:%n%s", check.output()).isZero();
        assertThat(check.output()).contains("SUCCESS: " + alerts().size() + " rules found");
    }

    /** docker-compose.yml mounts the configuration and the rules; promtool checks them laid out as mounted. */
    @Test
    void shouldLoadTheRulesIntoThePrometheusOfCompose(@TempDir Path etc) throws IOException {
        JsonNode volumes = Kustomize.parse(Repository.read("docker-compose.yml")).get(0).at("/services/prometheus/volumes");
        Map<String, String> mounted = new LinkedHashMap<>();
        volumes.forEach(v -> {
            String[] parts = v.asText().split(":");
            mounted.put(parts[0], parts.length > 1 ? parts[1] : "");
        });
        assertThat(mounted).containsEntry("./deploy/compose/prometheus.yml", "/etc/prometheus/prometheus.yml")
                .containsEntry("./" + RULES, "/etc/prometheus/alerts.yml");
        Files.copy(Repository.path("deploy/compose/prometheus.yml"), etc.resolve("prometheus.yml"));
        Files.copy(Repository.path(RULES), etc.resolve("alerts.yml"));

        Promtool.Outcome check = Promtool.run(etc, "check", "config", "prometheus.yml");

        assertThat(check.exitCode()).as("promtool check config:%n%s", check.output()).isZero();
        assertThat(check.output()).contains("SUCCESS: " + alerts().size() + " rules found");
    }

    static List<String> overlays() {
        return Repository.overlays();
    }

    /**
     * deploy/k8s/base includes deploy/prometheus: its Prometheus names a rule file that a ConfigMap of the
     * overlay puts in its container with the content of alerts.yml, once. (Debian's promtool cannot check
     * that configuration: it is built without the Kubernetes service discovery.)
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("overlays")
    void shouldLoadTheRulesIntoThePrometheusOfEveryOverlay(String overlay) {
        RenderedPrometheus prometheus = RenderedPrometheus.of(Kustomize.overlay(overlay));
        List<String> ruleFiles = prometheus.ruleFiles();

        assertThat(ruleFiles).as("rule_files of %s's Prometheus", overlay).isNotEmpty()
                .allSatisfy(path -> assertThat(prometheus.file(path)).as("%s, from a ConfigMap the Deployment mounts", path)
                        .isPresent());
        assertThat(ruleFiles.stream().map(path -> prometheus.file(path).orElseThrow()))
                .as("rule files of %s's Prometheus with the content of %s", overlay, RULES)
                .filteredOn(Repository.read(RULES)::equals).hasSize(1);
    }

    @Test
    void shouldMakeTheRulesAConfigMapForAPrometheusOnKubernetes() {
        List<ConfigMap> configMaps = Kustomize.render(Repository.path("deploy/prometheus")).all(ConfigMap.class);

        assertThat(configMaps).hasSize(1);
        assertThat(configMaps.get(0).getMetadata().getName()).startsWith("ovation-prometheus-rules-");
        assertThat(configMaps.get(0).getData()).containsOnlyKeys("alerts.yml")
                .containsEntry("alerts.yml", Repository.read(RULES));
    }

    /** Every alerting rule of the file, by name (a name used twice fails). */
    static Map<String, JsonNode> alerts() {
        Map<String, JsonNode> alerts = new LinkedHashMap<>();
        for (JsonNode group : Kustomize.parse(Repository.read(RULES)).get(0).path("groups")) {
            for (JsonNode rule : group.path("rules")) {
                String name = rule.path("alert").asText();
                assertThat(alerts.put(name, rule)).as("a second alert named %s", name).isNull();
            }
        }
        assertThat(alerts).isNotEmpty();
        return alerts;
    }

    private static Set<String> fieldNames(JsonNode node) {
        Set<String> names = new TreeSet<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
