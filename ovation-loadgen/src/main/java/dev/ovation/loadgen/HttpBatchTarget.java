package dev.ovation.loadgen;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.client.BufferingResponseListener;
import org.eclipse.jetty.client.BytesRequestContent;
import org.eclipse.jetty.client.Result;
import org.eclipse.jetty.http.HttpMethod;

/**
 * Batches of votes to {@code POST /api/votes/batch}. The answer carries one result per vote, in
 * order: {@code "accepted"} acknowledges it; {@code "rejected"} or {@code "unavailable"} is an error
 * named {@code batch <status> <error>}. A non-200 answer fails every vote of the batch.
 */
final class HttpBatchTarget implements VoteTarget {

    private final HttpTransport http;
    private final URI uri;
    private final VoteBodies bodies;
    private final ObjectMapper json;
    private final long timeoutMillis;
    private final AnswerListener listener;

    HttpBatchTarget(HttpTransport http, URI ingest, VoteBodies bodies, ObjectMapper json, Duration timeout,
                    AnswerListener listener) {
        this.http = http;
        this.uri = ingest.resolve("/api/votes/batch");
        this.bodies = bodies;
        this.json = json;
        this.timeoutMillis = timeout.toMillis();
        this.listener = listener;
    }

    @Override
    public void send(List<Send> sends) {
        http.client().newRequest(uri)
                .method(HttpMethod.POST)
                .body(new BytesRequestContent("application/json", bodies.batch(sends)))
                .timeout(timeoutMillis, TimeUnit.MILLISECONDS)
                .send(new BufferingResponseListener(8 * 1024 * 1024) {
                    @Override
                    public void onComplete(Result result) {
                        if (result.isFailed()) {
                            failAll(sends, HttpTransport.failureKind(result.getFailure()));
                        } else if (result.getResponse().getStatus() != 200) {
                            failAll(sends, HttpErrors.kind(result.getResponse().getStatus(), getContentAsString()));
                        } else {
                            answer(sends, getContent());
                        }
                    }
                });
    }

    private void answer(List<Send> sends, byte[] body) {
        JsonNode results;
        try {
            results = json.readTree(body).path("results");
        } catch (IOException e) {
            failAll(sends, "batch answer not JSON");
            return;
        }
        boolean[] answered = new boolean[sends.size()];
        for (JsonNode r : results) {
            int index = r.path("index").asInt(-1);
            if (index < 0 || index >= sends.size() || answered[index]) {
                continue;
            }
            answered[index] = true;
            String status = r.path("status").asText();
            if (status.equals("accepted")) {
                listener.acknowledged(sends.get(index));
            } else {
                listener.failed(sends.get(index), "batch " + status + " " + r.path("error").asText());
            }
        }
        for (int i = 0; i < answered.length; i++) {
            if (!answered[i]) {
                listener.failed(sends.get(i), "batch answer without this vote");
            }
        }
    }

    private void failAll(List<Send> sends, String kind) {
        for (Send s : sends) {
            listener.failed(s, kind);
        }
    }

    @Override
    public String describe() {
        return "POST " + uri + ", votes in batches";
    }

    @Override
    public void close() {
        // the HttpTransport is shared and closed by its owner
    }
}
