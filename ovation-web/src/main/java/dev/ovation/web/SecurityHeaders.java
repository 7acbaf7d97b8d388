package dev.ovation.web;

import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The headers every answer of a server carries, whichever handler answers it (the fast vote
 * handler, Javalin's routes, static files, errors): no content sniffing, no referrer, no framing
 * by other sites, and a Content-Security-Policy. A server of pages allows its own scripts, styles,
 * images and connections only ({@link #PAGES}); an API allows nothing to run ({@link #API}).
 */
public final class SecurityHeaders extends Handler.Wrapper {

    /** The policy of a server of pages: everything from the server itself, no inline script or style, no eval. */
    public static final String PAGES_POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; "
            + "img-src 'self' data:; connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; "
            + "form-action 'self'; frame-ancestors 'none'";
    /** The policy of an API: its answers are data, nothing in them may run or be framed. */
    public static final String API_POLICY = "default-src 'none'; frame-ancestors 'none'";

    /** The headers of a server of pages. */
    public static final Map<String, String> PAGES = headers(PAGES_POLICY);
    /** The headers of an API server. */
    public static final Map<String, String> API = headers(API_POLICY);

    private final Map<String, String> headers;

    /**
     * @param headers the headers to put on every answer
     * @param tls     true when the server speaks only TLS: browsers are then told to keep to HTTPS
     */
    SecurityHeaders(Map<String, String> headers, boolean tls, Handler handler) {
        super(handler);
        Map<String, String> all = new LinkedHashMap<>(headers);
        if (tls) {
            all.put("Strict-Transport-Security", "max-age=31536000");
        }
        this.headers = Map.copyOf(all);
    }

    private static Map<String, String> headers(String policy) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Security-Policy", policy);
        headers.put("X-Content-Type-Options", "nosniff");
        headers.put("Referrer-Policy", "no-referrer");
        headers.put("X-Frame-Options", "DENY");
        headers.put("Cross-Origin-Opener-Policy", "same-origin");
        return Map.copyOf(headers);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        headers.forEach(response.getHeaders()::put);
        return super.handle(request, response, callback);
    }
}
