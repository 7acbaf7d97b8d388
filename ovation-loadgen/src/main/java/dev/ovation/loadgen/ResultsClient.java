package dev.ovation.loadgen;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.client.ContentResponse;

/**
 * Reads Ovation's results API: {@code GET /api/contests/{contest}/results} for the totals, and
 * {@code GET /api/contests/{contest}} for the contest's catalog.
 */
final class ResultsClient implements TallyReader {

    private final HttpTransport http;
    private final URI results;
    private final ObjectMapper json;

    ResultsClient(HttpTransport http, URI results, ObjectMapper json) {
        this.http = http;
        this.results = results;
        this.json = json;
    }

    /** GET with a 5 s deadline; an unanswered request fails with a message naming the API. */
    private ContentResponse get(URI uri) throws InterruptedException {
        try {
            return http.client().newRequest(uri).timeout(5, TimeUnit.SECONDS).send();
        } catch (TimeoutException e) {
            throw new IllegalStateException("the results API at " + uri + " did not answer within 5 s", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("the results API at " + uri + " is unreachable: "
                    + HttpTransport.failureKind(e.getCause()), e.getCause());
        }
    }

    @Override
    public ContestTotals read(String contest) throws InterruptedException {
        URI uri = results.resolve("/api/contests/" + contest + "/results");
        ContentResponse response = get(uri);
        if (response.getStatus() != 200) {
            throw new IllegalStateException("the results API at " + uri + " answered " + response.getStatus() + ": "
                    + response.getContentAsString());
        }
        try {
            JsonNode body = json.readTree(response.getContent());
            if (!body.path("total").isIntegralNumber()) {
                throw new IllegalStateException("the results API at " + uri + " answered without a total: "
                        + response.getContentAsString());
            }
            long rejected = 0;
            for (JsonNode n : body.path("rejected")) {
                rejected += n.asLong();
            }
            return new ContestTotals(body.path("total").asLong(), body.path("duplicates").asLong(), rejected);
        } catch (IOException e) {
            throw new IllegalStateException("the results API at " + uri + " answered something not JSON", e);
        }
    }

    /**
     * The contest's catalog, in the order the contest lists it (taken as most popular first), or
     * {@code null} when the contest has an open catalog or the results API does not describe contests.
     * A band listed without albums takes any album: it gets one, "Album 1".
     */
    Catalog catalog(String contest) throws InterruptedException {
        URI uri = results.resolve("/api/contests/" + contest);
        ContentResponse response = get(uri);
        if (response.getStatus() == 404) {
            return null;
        }
        if (response.getStatus() != 200) {
            throw new IllegalStateException("the results API at " + uri + " answered " + response.getStatus());
        }
        JsonNode catalog;
        try {
            catalog = json.readTree(response.getContent()).path("catalog");
        } catch (IOException e) {
            throw new IllegalStateException("the results API at " + uri + " answered something not JSON", e);
        }
        List<Catalog.Item> items = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> bands = catalog.fields(); bands.hasNext(); ) {
            Map.Entry<String, JsonNode> band = bands.next();
            if (band.getValue().isEmpty()) {
                items.add(new Catalog.Item(band.getKey(), "Album 1"));
            }
            for (JsonNode album : band.getValue()) {
                items.add(new Catalog.Item(band.getKey(), album.asText()));
            }
        }
        return items.isEmpty() ? null : new Catalog(items, "the catalog of contest " + contest);
    }
}
