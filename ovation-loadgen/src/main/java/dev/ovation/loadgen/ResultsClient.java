package dev.ovation.loadgen;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.client.ContentResponse;

/** Reads {@code GET /api/contests/{contest}/results} of Ovation's results API. */
final class ResultsClient implements TallyReader {

    private final HttpTransport http;
    private final URI results;
    private final ObjectMapper json;

    ResultsClient(HttpTransport http, URI results, ObjectMapper json) {
        this.http = http;
        this.results = results;
        this.json = json;
    }

    @Override
    public ContestTotals read(String contest) throws InterruptedException {
        URI uri = results.resolve("/api/contests/" + contest + "/results");
        ContentResponse response;
        try {
            response = http.client().newRequest(uri).timeout(5, TimeUnit.SECONDS).send();
        } catch (TimeoutException e) {
            throw new IllegalStateException("the results API at " + uri + " did not answer within 5 s", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("the results API at " + uri + " is unreachable: "
                    + HttpTransport.failureKind(e.getCause()), e.getCause());
        }
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
            return new ContestTotals(body.path("total").asLong(), body.path("duplicates").asLong());
        } catch (IOException e) {
            throw new IllegalStateException("the results API at " + uri + " answered something not JSON", e);
        }
    }
}
