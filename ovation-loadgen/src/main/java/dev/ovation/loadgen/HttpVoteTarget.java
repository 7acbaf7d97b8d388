package dev.ovation.loadgen;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.eclipse.jetty.client.BufferingResponseListener;
import org.eclipse.jetty.client.BytesRequestContent;
import org.eclipse.jetty.client.Result;
import org.eclipse.jetty.http.HttpMethod;

/**
 * One vote per {@code POST}: Ovation's {@code /api/votes}, or the seed's {@code /insert}. A vote is
 * acknowledged by {@code 202}; any other answer is an error named by its status and error code.
 */
final class HttpVoteTarget implements VoteTarget {

    private final HttpTransport http;
    private final URI uri;
    private final Function<PlannedVote, byte[]> body;
    private final long timeoutMillis;
    private final AnswerListener listener;

    private HttpVoteTarget(HttpTransport http, URI uri, Function<PlannedVote, byte[]> body, Duration timeout,
                           AnswerListener listener) {
        this.http = http;
        this.uri = uri;
        this.body = body;
        this.timeoutMillis = timeout.toMillis();
        this.listener = listener;
    }

    /** {@code POST /api/votes} with votes in Ovation's shape. */
    static HttpVoteTarget ovation(HttpTransport http, URI ingest, VoteBodies bodies, Duration timeout,
                                  AnswerListener listener) {
        return new HttpVoteTarget(http, ingest.resolve("/api/votes"), bodies::ovation, timeout, listener);
    }

    /** {@code POST /insert} with votes in the seed's shape. */
    static HttpVoteTarget seed(HttpTransport http, URI ingest, VoteBodies bodies, Duration timeout,
                               AnswerListener listener) {
        return new HttpVoteTarget(http, ingest.resolve("/insert"), bodies::seed, timeout, listener);
    }

    @Override
    public void send(List<Send> sends) {
        for (Send send : sends) {
            http.client().newRequest(uri)
                    .method(HttpMethod.POST)
                    .body(new BytesRequestContent("application/json", body.apply(send.vote())))
                    .timeout(timeoutMillis, TimeUnit.MILLISECONDS)
                    .send(new BufferingResponseListener(16 * 1024) {
                        @Override
                        public void onComplete(Result result) {
                            if (result.isFailed()) {
                                listener.failed(send, HttpTransport.failureKind(result.getFailure()));
                            } else if (result.getResponse().getStatus() == 202) {
                                listener.acknowledged(send);
                            } else {
                                listener.failed(send, HttpErrors.kind(result.getResponse().getStatus(),
                                        getContentAsString()));
                            }
                        }
                    });
        }
    }

    @Override
    public String describe() {
        return "POST " + uri + ", one vote per request";
    }

    @Override
    public void close() {
        // the HttpTransport is shared and closed by its owner
    }
}
