package dev.ovation.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.Select;

/**
 * The live page in a real browser (Debian's headless Chromium) against the whole pipeline, as a
 * person running {@code ./ovation standalone} sees it: votes sent to the ingest move the numbers
 * on screen to exactly the tallies and stream into the log without a reload; filters, the vote
 * check and the exports work; a band named as an HTML tag shows as text. Screenshots of each view
 * are saved under {@code target/screenshots/}.
 *
 * <p>On the shared standalone, in two contests of the class's own: the one the page opens on, and
 * "Gala night", which it switches to.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@ExtendWith(SharedPipeline.class)
class LivePageIT {

    private static final String XSS_BAND = "<img src=x onerror=alert(1)>";
    private static final Path SCREENSHOTS = Path.of("target", "screenshots");
    private static final Duration DEADLINE = Duration.ofSeconds(30);

    @TempDir
    static Path dataDir;

    private static Pipeline ovation;
    private static OvationClients clients;
    private static String contest;
    private static String gala;
    private static Browser browser;
    private static ChromeDriver page;
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final List<String> receipts = new ArrayList<>();

    @BeforeAll
    static void startTheBrowser(Pipeline pipeline, TestContest opened) throws Exception {
        String missing = Browser.unavailable();
        if (missing != null) {
            System.err.println("SKIPPED LivePageIT: " + missing);
        }
        Assumptions.assumeTrue(missing == null, missing);
        ovation = pipeline;
        clients = pipeline.clients();
        contest = opened.id();
        gala = pipeline.createContest("gala", "{\"title\": \"Gala night\"}").id();
        browser = Browser.start(dataDir.resolve("downloads"), 1280, 1600);
        page = browser.driver();
    }

    @AfterAll
    static void stop() throws Exception {
        if (browser != null) {
            browser.close();
        }
    }

    @Test
    @Order(1)
    void shouldMoveTheNumbersToExactlyTheTalliesAndStreamTheLogWithoutAReload() throws Exception {
        // Given the page open on the class's contest, before any vote
        page.get(resultsUrl("/?contest=" + contest));
        await().atMost(DEADLINE).until(() -> text("#total").equals("0"));
        ((JavascriptExecutor) page).executeScript("window.ovationLoadedOnce = true;");

        // When 42 votes for three bands (one named as an HTML tag) go to the ingest
        String[][] votes = {{"Pink Floyd", "Animals"}, {"Pink Floyd", "Meddle"}, {"Queen", "Jazz"},
                {XSS_BAND, "<script>alert(2)</script>"}};
        for (int i = 0; i < 42; i++) {
            String[] vote = votes[i % votes.length];
            OvationClients.Answer answer = clients.postNow("/api/votes", OvationClients.JSON.createObjectNode()
                    .put("contest", contest).put("band", vote[0]).put("album", vote[1]).put("voter", "+5025550" + (1000 + i))
                    .toString());
            assertThat(answer.status()).isEqualTo(202);
            receipts.add(answer.body().get("id").asText());
        }

        // Then the page shows the exact tallies, without having been reloaded
        await().atMost(DEADLINE).until(() -> text("#total").equals("42"));
        JsonNode results = resultsApi("/api/contests/" + contest + "/results");
        await().atMost(DEADLINE).untilAsserted(() -> assertThat(tableOnScreen()).isEqualTo(tallies(results)));
        assertThat(((JavascriptExecutor) page).executeScript("return window.ovationLoadedOnce === true;")).isEqualTo(true);

        // And the log shows the newest votes on top, as the log API lists them
        JsonNode latest = resultsApi("/api/contests/" + contest + "/logs?limit=42");
        List<String> expected = new ArrayList<>();
        latest.get("entries").forEach(e -> expected.add(e.get("id").asText()));
        await().atMost(DEADLINE).untilAsserted(() -> assertThat(logIds()).containsExactlyElementsOf(expected));
        browser.screenshot(SCREENSHOTS.resolve("live-desktop.png"));
    }

    @Test
    @Order(2)
    void shouldShowABandNamedAsAnHtmlTagAsTextEverywhere() {
        // (the votes of the first test include band <img src=x onerror=alert(1)>)
        await().atMost(DEADLINE).until(() -> !page.findElements(By.cssSelector("#log .log-line")).isEmpty());

        assertThat(page.findElement(By.id("log")).getText()).contains(XSS_BAND).contains("<script>alert(2)</script>");
        assertThat(page.findElement(By.id("results-table")).getText()).contains(XSS_BAND);
        assertThat(page.findElements(By.cssSelector("#app img"))).isEmpty();
        assertThat(page.findElements(By.cssSelector("#app script"))).isEmpty();
        assertThatThrownBy(() -> page.switchTo().alert()).isInstanceOf(NoAlertPresentException.class);
    }

    @Test
    @Order(3)
    void shouldFilterTheLogByBandAndAlbum() {
        new Select(page.findElement(By.id("filter-band"))).selectByVisibleText("Pink Floyd");
        await().atMost(DEADLINE).untilAsserted(() -> assertThat(logBands()).hasSize(22).containsOnly("Pink Floyd"));

        await().atMost(DEADLINE).until(() -> new Select(page.findElement(By.id("filter-album"))).getOptions().stream()
                .anyMatch(o -> o.getText().equals("Meddle")));
        new Select(page.findElement(By.id("filter-album"))).selectByVisibleText("Meddle");
        await().atMost(DEADLINE).untilAsserted(() -> assertThat(logLines()).hasSize(11)
                .allSatisfy(line -> assertThat(line.getText()).contains("Pink Floyd").contains("Meddle")));
        browser.screenshot(SCREENSHOTS.resolve("log-filtered.png"));

        // When a vote for another band arrives, a filtered log does not show it; unfiltered, it does
        assertThat(clients.postNow("/api/votes", "{\"contest\":\"" + contest + "\",\"band\":\"Queen\",\"album\":\"Innuendo\"}")
                .status()).isEqualTo(202);
        await().atMost(DEADLINE).until(() -> text("#total").equals("43"));
        assertThat(logLines()).hasSize(11);
        new Select(page.findElement(By.id("filter-band"))).selectByIndex(0);
        // (the log is drawn again when the filter changes: empty for a moment)
        await().atMost(DEADLINE).untilAsserted(() -> assertThat(logLines()).first()
                .satisfies(line -> assertThat(line.getText()).contains("Innuendo")));
    }

    @Test
    @Order(4)
    void shouldTellAVoterWhetherTheirVoteWasCounted() {
        WebElement id = page.findElement(By.id("check-id"));
        id.clear();
        id.sendKeys(receipts.get(3), Keys.ENTER);
        await().atMost(DEADLINE).untilAsserted(() -> {
            WebElement answer = page.findElement(By.id("check-result"));
            assertThat(answer.getAttribute("data-status")).isEqualTo("counted");
            assertThat(answer.getText()).contains("counted").contains(XSS_BAND);
        });
        browser.screenshot(SCREENSHOTS.resolve("vote-check.png"));

        id.clear();
        id.sendKeys("no-such-vote", Keys.ENTER);
        await().atMost(DEADLINE).untilAsserted(() ->
                assertThat(page.findElement(By.id("check-result")).getAttribute("data-status")).isEqualTo("not_seen"));
    }

    @Test
    @Order(5)
    void shouldDownloadTheResultsAsCsvFromItsButton() throws Exception {
        Path file = browser.downloads().resolve(contest + "-results.csv");
        page.findElement(By.id("export-results-csv")).click();

        await().atMost(DEADLINE).until(() -> Files.exists(file) && Files.size(file) > 0);
        String expected = HTTP.send(HttpRequest.newBuilder(URI.create(resultsUrl("/api/contests/" + contest + "/results.csv")))
                .build(), HttpResponse.BodyHandlers.ofString()).body();
        assertThat(Files.readString(file)).isEqualTo(expected).startsWith("band,band_votes,album,album_votes\n")
                .contains("\"Pink Floyd\",22,Animals,11\n");
    }

    @Test
    @Order(6)
    void shouldSwitchToAnotherContestAndBack() {
        new Select(page.findElement(By.id("contest-select"))).selectByValue(gala);

        await().atMost(DEADLINE).until(() -> page.getCurrentUrl().endsWith("?contest=" + gala)
                && text("#total").equals("0") && logLines().isEmpty());
        assertThat(page.findElement(By.tagName("h1")).getText()).contains("Gala night");
        new Select(page.findElement(By.id("contest-select"))).selectByValue(contest);
        await().atMost(DEADLINE).until(() -> text("#total").equals("43"));
    }

    @Test
    @Order(7)
    void shouldFitAPhoneWidthScreen() {
        page.manage().window().setSize(new Dimension(390, 2400));
        page.navigate().refresh();
        await().atMost(DEADLINE).until(() -> text("#total").equals("43"));
        Object overflow = ((JavascriptExecutor) page).executeScript(
                "return document.documentElement.scrollWidth > document.documentElement.clientWidth;");
        browser.screenshot(SCREENSHOTS.resolve("live-phone.png"));
        assertThat(overflow).as("no sideways scrolling at 390 px").isEqualTo(false);
    }

    /** The band and album rows of the results table: "band" or "band / album" to votes. */
    private static Map<String, Long> tableOnScreen() {
        Map<String, Long> shown = new LinkedHashMap<>();
        for (WebElement row : page.findElements(By.cssSelector("#results-table tr.band, #results-table tr.album"))) {
            String band = row.getAttribute("data-band");
            String album = row.getAttribute("data-album");
            String key = album == null || album.isEmpty() ? band : band + " / " + album;
            shown.put(key, Long.parseLong(row.findElement(By.cssSelector(".votes")).getText().replace(",", "")));
        }
        return shown;
    }

    private static Map<String, Long> tallies(JsonNode results) {
        Map<String, Long> tallies = new LinkedHashMap<>();
        results.get("bands").forEach(band -> {
            tallies.put(band.get("band").asText(), band.get("votes").asLong());
            band.get("albums").forEach(album -> tallies.put(band.get("band").asText() + " / "
                    + album.get("album").asText(), album.get("votes").asLong()));
        });
        return tallies;
    }

    private static List<WebElement> logLines() {
        return page.findElements(By.cssSelector("#log .log-line"));
    }

    private static List<String> logIds() {
        return logLines().stream().map(line -> line.getAttribute("data-id")).toList();
    }

    private static List<String> logBands() {
        List<String> bands = new ArrayList<>();
        for (WebElement line : logLines()) {
            bands.add(line.getText().contains("Pink Floyd") ? "Pink Floyd" : line.getText());
        }
        return bands;
    }

    private static String text(String css) {
        List<WebElement> found = page.findElements(By.cssSelector(css));
        return found.isEmpty() ? "" : found.get(0).getText().replace(",", "").strip();
    }

    private static JsonNode resultsApi(String path) throws Exception {
        return OvationClients.JSON.readTree(HTTP.send(HttpRequest.newBuilder(URI.create(resultsUrl(path))).build(),
                HttpResponse.BodyHandlers.ofString()).body());
    }

    private static String resultsUrl(String path) {
        return "http://127.0.0.1:" + ovation.resultsPort() + path;
    }

    @SuppressWarnings("unused")
    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }
}
