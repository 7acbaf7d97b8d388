package dev.ovation.loadgen;

import java.io.EOFException;
import java.net.ConnectException;
import java.nio.channels.ClosedChannelException;
import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.transport.HttpClientTransportOverHTTP;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.ClientConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * An asynchronous HTTP/1.1 client (Jetty's) on a handful of threads: one selector thread drives
 * every connection, and answers are handled on a small pool.
 */
final class HttpTransport implements AutoCloseable {

    private final HttpClient client;

    /**
     * @param connections   the most connections opened to one server (HTTP/1.1 carries one request at
     *                      a time per connection)
     * @param maxQueued     the most requests waiting for a free connection
     * @param threads       threads for the selector and for handling answers
     */
    HttpTransport(int connections, int maxQueued, int threads, Duration connectTimeout) {
        QueuedThreadPool pool = new QueuedThreadPool(Math.max(threads, 3), Math.min(2, threads));
        pool.setName("loadgen-http");
        pool.setDaemon(true);
        pool.setReservedThreads(0);
        ClientConnector connector = new ClientConnector();
        connector.setSelectors(1);
        connector.setExecutor(pool);
        client = new HttpClient(new HttpClientTransportOverHTTP(connector));
        client.setExecutor(pool);
        client.setMaxConnectionsPerDestination(connections);
        client.setMaxRequestsQueuedPerDestination(maxQueued);
        client.setConnectTimeout(connectTimeout.toMillis());
        client.setIdleTimeout(60_000);
        client.setFollowRedirects(false);
        client.setUserAgentField(new HttpField(HttpHeader.USER_AGENT, "ovation-loadgen"));
        try {
            client.start();
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the HTTP client: " + e.getMessage(), e);
        }
    }

    HttpClient client() {
        return client;
    }

    @Override
    public void close() {
        try {
            client.stop();
        } catch (Exception e) {
            throw new IllegalStateException("cannot stop the HTTP client: " + e.getMessage(), e);
        }
    }

    /** A short, stable name for why a request failed, e.g. {@code timeout}, {@code connection refused}. */
    static String failureKind(Throwable failure) {
        Throwable root = failure;
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof TimeoutException) {
                return "timeout";
            }
            if (t instanceof ConnectException) {
                return "connection refused";
            }
            if (t instanceof ClosedChannelException || t instanceof EOFException) {
                return "connection closed";
            }
            if (t instanceof RejectedExecutionException) {
                return "client queue full";
            }
            root = t;
        }
        return root.getClass().getSimpleName();
    }
}
