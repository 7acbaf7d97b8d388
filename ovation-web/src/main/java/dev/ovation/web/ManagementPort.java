package dev.ovation.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.ovation.model.ApiError;
import java.nio.ByteBuffer;
import java.util.List;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Which paths each port of a server serves when it has a management port: the management port
 * serves {@code /metrics}, {@code /health/*} and the paths given (the ingest's admin API), and
 * nothing else; the public port serves everything but those ({@code /health/*} stays on both, for
 * probes and load balancers). Anything else gets {@code 404} with the project's error body.
 *
 * <p>Asked first, before any route: a vote sent to the management port is not taken, and
 * {@code /metrics} asked on the public port is not answered, whatever the routes behind.
 */
final class ManagementPort extends Handler.Abstract {

    /** The name of the management port's connector. */
    static final String CONNECTOR = "management";

    private final List<String> managementPrefixes;

    /** @param managementPrefixes path prefixes served only on the management port, besides {@code /metrics} */
    ManagementPort(List<String> managementPrefixes) {
        this.managementPrefixes = List.copyOf(managementPrefixes);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        String path = Request.getPathInContext(request);
        if (path.equals("/health/live") || path.equals("/health/ready")) {
            return false;
        }
        boolean managementPath = isManagementPath(path);
        boolean onManagementPort = CONNECTOR.equals(request.getConnectionMetaData().getConnector().getName());
        if (managementPath == onManagementPort) {
            return false;
        }
        String message = onManagementPort
                ? "no endpoint " + request.getMethod() + " " + path + " on the management port: it serves /metrics,"
                        + " /health/live, /health/ready" + (managementPrefixes.isEmpty() ? "" : " and " + String.join(
                        ", ", managementPrefixes.stream().map(p -> p + "/...").toList()))
                : "no endpoint " + request.getMethod() + " " + path;
        byte[] json;
        try {
            json = Json.MAPPER.writeValueAsBytes(ApiError.of("not_found", message));
        } catch (JsonProcessingException e) {
            callback.failed(e);
            return true;
        }
        response.setStatus(404);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.write(true, ByteBuffer.wrap(json), callback);
        return true;
    }

    boolean isManagementPath(String path) {
        if (path.equals("/metrics")) {
            return true;
        }
        for (String prefix : managementPrefixes) {
            if (path.equals(prefix) || path.startsWith(prefix + "/")) {
                return true;
            }
        }
        return false;
    }
}
