package dev.ovation.web;

import dev.ovation.model.ApiError;
import dev.ovation.model.HealthCheck;
import io.javalin.Javalin;
import io.javalin.config.RoutesConfig;
import io.javalin.http.HttpResponseException;
import io.javalin.http.staticfiles.Location;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import org.eclipse.jetty.server.AbstractConnector;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An Ovation HTTP service: Javalin with the routes a role adds, plus what every service has —
 * {@code GET /health/live}, {@code GET /health/ready} (each dependency checked), {@code GET /metrics}
 * (the process's {@link Metrics}), and JSON error bodies ({@link ApiError}) for unknown paths,
 * oversized bodies, bodies that come too slowly (408, {@link MinimumBodyRate}) and unexpected failures.
 */
public final class WebServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(WebServer.class);
    private static final int RESPONSE_COPY_BUFFER_BYTES = 4 * 1024;
    private static final String PUBLIC = "public";
    /** How long a stopping server lets the requests in flight finish. */
    public static final long STOP_TIMEOUT_MS = 10_000;

    /**
     * What one client may hold of a server, so that slow or idle connections cannot starve the others.
     *
     * @param maxConnections   connections open at once; past it, new ones wait in the accept queue and
     *                         idle ones are closed after {@code crowdedIdleMillis}
     * @param idleMillis       a connection that sends nothing for this long is closed (a request's
     *                         headers trickling in count as nothing only between bytes)
     * @param crowdedIdleMillis the idle timeout once {@code maxConnections} are open
     * @param minRequestBytesPerSecond a request body arriving slower than this, from its first byte, is
     *                         answered 408 while some of it has yet to arrive ({@link MinimumBodyRate})
     * @param maxHeaderBytes   the largest request head (request line and headers); larger gets 431
     */
    public record Limits(int maxConnections, long idleMillis, long crowdedIdleMillis, long minRequestBytesPerSecond,
                         int maxHeaderBytes) {

        /** 10,000 connections, 20 s idle (2 s when crowded), bodies at 1 KB/s at least, 8 KiB of headers. */
        public static final Limits DEFAULT = new Limits(10_000, 20_000, 2_000, 1_024, 8 * 1024);
    }

    private final Javalin app;

    private WebServer(Javalin app) {
        this.app = app;
    }

    /**
     * Pages a server serves beside its routes: the files of a classpath directory at {@code /}, and
     * the WebJars on the classpath at {@code /webjars/<name>/<version>/...}, so a page needs nothing
     * from outside the server.
     *
     * @param classpathDirectory where the files are, for example {@code /dev/ovation/results/web}
     */
    public record Pages(String classpathDirectory) {
    }

    /**
     * A port of its own for what only operators and Prometheus need: {@code /metrics}, the health
     * checks and the paths given (the ingest's admin API). The public port then no longer serves
     * those paths (it keeps {@code /health/*}), and the management port serves nothing else
     * ({@link ManagementPort}); both speak TLS when the server does.
     *
     * @param port  the management port (0 picks a free one)
     * @param paths path prefixes served only there, besides {@code /metrics}, e.g. {@code /api/admin}
     */
    public record Management(int port, List<String> paths) {
        public Management {
            paths = List.copyOf(paths);
        }
    }

    /**
     * A server to start, listening on {@code host:port} (0 picks a free port), named {@code name} in its
     * messages. {@link Builder#maxRequestBytes} and {@link Builder#metrics} must be given; the rest has
     * defaults.
     *
     * <pre>{@code
     * WebServer http = WebServer.builder("results", "0.0.0.0", 8088).maxRequestBytes(16 * 1024)
     *         .readiness(checks).metrics(metrics).routes(api::addRoutes).start();
     * }</pre>
     */
    public static Builder builder(String name, String host, int port) {
        return new Builder(name, host, port);
    }

    /** What a server is started with; {@link #start} starts it. */
    public static final class Builder {

        private final String name;
        private final String host;
        private final int port;
        private long maxRequestBytes;
        private List<HealthCheck> readiness = List.of();
        private Metrics metrics;
        private Consumer<RoutesConfig> routes = none -> { };
        private Handler front;
        private Limits limits = Limits.DEFAULT;
        private Tls tls;
        private Pages pages;
        private Management management;

        private Builder(String name, String host, int port) {
            this.name = Objects.requireNonNull(name, "name");
            this.host = Objects.requireNonNull(host, "host");
            this.port = port;
        }

        /** The largest request body accepted; larger ones get {@code 413}. Required. */
        public Builder maxRequestBytes(long bytes) {
            this.maxRequestBytes = bytes;
            return this;
        }

        /** What {@code GET /health/ready} checks (default: nothing, always ready). */
        public Builder readiness(List<HealthCheck> checks) {
            this.readiness = List.copyOf(checks);
            return this;
        }

        /** The meters served at {@code /metrics}. Required. */
        public Builder metrics(Metrics meters) {
            this.metrics = meters;
            return this;
        }

        /** Adds the role's Javalin routes (default: none). */
        public Builder routes(Consumer<RoutesConfig> added) {
            this.routes = Objects.requireNonNull(added, "routes");
            return this;
        }

        /**
         * A plain Jetty handler for the busiest endpoints, asked ahead of the Javalin routes: it sees
         * every request first and declines (returns {@code false}) those it does not serve. Such a
         * handler can answer asynchronously with no thread waiting, which the servlet API under
         * Javalin cannot. Null (the default): none.
         */
        public Builder front(Handler handler) {
            this.front = handler;
            return this;
        }

        /** What one client may hold of the server (default: {@link Limits#DEFAULT}). */
        public Builder limits(Limits held) {
            this.limits = Objects.requireNonNull(held, "limits");
            return this;
        }

        /** Speaks only TLS when given (HTTPS on the port, no plain port); null (the default): plain text. */
        public Builder tls(Tls keys) {
            this.tls = keys;
            return this;
        }

        /**
         * Serves these pages too; null (the default): none. Every answer carries the
         * {@link SecurityHeaders}: those of pages when the server serves some, else those of an API.
         */
        public Builder pages(Pages served) {
            this.pages = served;
            return this;
        }

        /** A management port ({@link Management}); null (the default): every path on the public port. */
        public Builder management(Management port) {
            this.management = port;
            return this;
        }

        /**
         * Starts the server. However started, a server that stops finishes the requests in flight
         * first, for at most {@link #STOP_TIMEOUT_MS} ms, and answers {@code 503} to new ones meanwhile.
         *
         * @throws IllegalStateException when it cannot listen, or a required setting is missing
         */
        public WebServer start() {
            if (maxRequestBytes <= 0) {
                throw new IllegalStateException(name + ": the largest request body (maxRequestBytes) was not given");
            }
            if (metrics == null) {
                throw new IllegalStateException(name + ": the meters to serve at /metrics were not given");
            }
            return WebServer.start(this);
        }
    }

    private static WebServer start(Builder given) {
        String name = given.name;
        String host = given.host;
        int port = given.port;
        long maxRequestBytes = given.maxRequestBytes;
        List<HealthCheck> readiness = given.readiness;
        Metrics metrics = given.metrics;
        Consumer<RoutesConfig> routes = given.routes;
        Handler front = given.front;
        Limits limits = given.limits;
        Tls tls = given.tls;
        Pages pages = given.pages;
        Management management = given.management;
        Javalin app = Javalin.create(config -> {
            if (pages != null) {
                config.staticFiles.add(files -> {
                    files.hostedPath = "/";
                    files.directory = pages.classpathDirectory();
                    files.location = Location.CLASSPATH;
                    // a new version of the page is seen at once; the WebJars' paths carry their versions
                    files.headers = Map.of("Cache-Control", "no-cache");
                });
                config.staticFiles.enableWebjars();
            }
            if (tls != null || management != null) {
                // An added connector replaces Javalin's plain one.
                config.jetty.addConnector((server, http) -> connector(server, http, host, port, tls, PUBLIC));
            }
            if (management != null) {
                config.jetty.addConnector((server, http) -> connector(server, http, host, management.port(), tls,
                        ManagementPort.CONNECTOR));
            }
            config.startup.showJavalinBanner = false;
            config.startup.showOldJavalinVersionWarning = false;
            config.http.maxRequestSize = maxRequestBytes;
            config.http.prefer405over404 = true;
            config.jetty.host = host;
            config.jetty.port = port;
            // Jetty's per-connection header cache matches values ignoring case by default, so
            // "Bearer tokeN" after "Bearer token" on one connection would read as the earlier one.
            config.jetty.modifyHttpConfiguration(http -> {
                http.setHeaderCacheCaseSensitive(true);
                http.setIdleTimeout(limits.idleMillis());
                // MinimumBodyRate checks it instead: Jetty's check refuses bodies already whole
                http.setMinRequestDataRate(0);
                http.setRequestHeaderSize(limits.maxHeaderBytes());
            });
            config.jetty.modifyServer(server -> {
                NetworkConnectionLimit limit = new NetworkConnectionLimit(limits.maxConnections(), server);
                limit.setEndPointIdleTimeout(limits.crowdedIdleMillis());
                server.addBean(limit);
            });
            // Javalin copies every answer to the socket through a new buffer of this size (32 KB by
            // default, zeroed on each request); answers here are small.
            config.http.responseBufferSize = RESPONSE_COPY_BUFFER_BYTES;
            // Javalin appends its own handler to the sequence found in the server, after the front one.
            Handler.Sequence sequence = new Handler.Sequence();
            if (management != null) {
                sequence.addHandler(new ManagementPort(management.paths()));
            }
            if (front != null) {
                sequence.addHandler(front);
            }
            Handler outer = new GracefulHandler(new SecurityHeaders(
                    pages == null ? SecurityHeaders.API : SecurityHeaders.PAGES, tls != null,
                    new MinimumBodyRate(limits.minRequestBytesPerSecond(), sequence)));
            config.jetty.modifyServer(server -> {
                insertFirst(server, outer);
                server.setStopTimeout(STOP_TIMEOUT_MS);
            });
            config.routes.get("/health/live", ctx -> Json.send(ctx, 200, Map.of("status", "UP")));
            config.routes.get("/health/ready", ctx -> {
                Map<String, String> checks = Readiness.check(readiness);
                boolean up = checks.values().stream().allMatch("UP"::equals);
                Map<String, Object> body = new LinkedHashMap<>();
                body.put("status", up ? "UP" : "DOWN");
                body.put("checks", checks);
                Json.send(ctx, up ? 200 : 503, body);
            });
            config.routes.get("/metrics", ctx -> {
                String type = Metrics.contentType(ctx.header("Accept"));
                ctx.contentType(type).result(metrics.scrape(type));
            });
            routes.accept(config.routes);
            config.routes.exception(HttpResponseException.class, (e, ctx) -> Json.send(ctx, e.getStatus(),
                    ApiError.of(errorCode(e.getStatus()), e.getMessage())));
            config.routes.exception(DependencyUnavailableException.class, (e, ctx) -> Json.send(ctx, 503,
                    ApiError.of("unavailable", e.getMessage())));
            // a body too slow or malformed is the request's fault, with its own status
            config.routes.exception(Exception.class, (e, ctx) -> RequestFailure.of(e).ifPresentOrElse(
                    failure -> Json.send(ctx, failure.status(), failure.body()),
                    () -> Json.send(ctx, 500,
                            Failures.internal(LOG, name + " failed on " + ctx.method() + " " + ctx.path(), e))));
            config.routes.error(404, ctx -> {
                if (ctx.result() == null || ctx.result().isEmpty() || ctx.result().startsWith("Endpoint")) {
                    Json.send(ctx, 404, ApiError.of("not_found", "no endpoint " + ctx.method() + " " + ctx.path()));
                }
            });
            config.routes.error(405, ctx -> Json.send(ctx, 405,
                    ApiError.of("method_not_allowed", ctx.method() + " is not allowed on " + ctx.path())));
        });
        try {
            app.start();
            idleTimeouts(app, limits);
        } catch (RuntimeException e) {
            // Javalin's message names the port that failed; with a management port there are two
            String ports = management == null ? host + ":" + port
                    : host + ":" + port + " and its management port " + management.port();
            throw new IllegalStateException(name + " could not listen on " + ports + ": " + e.getMessage(), e);
        }
        return new WebServer(app);
    }

    private static ServerConnector connector(Server server, HttpConfiguration http, String host, int port, Tls tls,
                                             String name) {
        ServerConnector connector;
        if (tls != null) {
            connector = httpsConnector(server, http, host, port, tls);
        } else {
            connector = new ServerConnector(server, new HttpConnectionFactory(http));
            connector.setHost(host);
            connector.setPort(port);
        }
        connector.setName(name);
        return connector;
    }

    private static ServerConnector httpsConnector(Server server, HttpConfiguration http, String host, int port,
                                                  Tls tls) {
        SslContextFactory.Server ssl = new SslContextFactory.Server();
        ssl.setKeyStore(tls.keyStore());
        ssl.setKeyStorePassword(tls.keyPassword());
        ssl.setKeyManagerPassword(tls.keyPassword());
        ssl.setIncludeProtocols("TLSv1.3", "TLSv1.2");
        HttpConfiguration https = new HttpConfiguration(http);
        SecureRequestCustomizer secure = new SecureRequestCustomizer();
        // clients may name the server by an address the certificate does not list (a load balancer's)
        secure.setSniHostCheck(false);
        https.addCustomizer(secure);
        ServerConnector connector = new ServerConnector(server, new SslConnectionFactory(ssl, "http/1.1"),
                new HttpConnectionFactory(https));
        connector.setHost(host);
        connector.setPort(port);
        return connector;
    }

    /** Every connector closes connections idle for {@code limits.idleMillis()}, headers included. */
    private static void idleTimeouts(Javalin app, Limits limits) {
        for (Connector connector : app.jettyServer().server().getConnectors()) {
            if (connector instanceof AbstractConnector abstractConnector) {
                abstractConnector.setIdleTimeout(limits.idleMillis());
            }
        }
    }

    private static void insertFirst(Server server, Handler first) {
        if (server.getHandler() instanceof Handler.Wrapper wrapper && wrapper.getHandler() == null) {
            wrapper.setHandler(first);
        } else if (server.getHandler() == null) {
            server.setHandler(first);
        } else {
            throw new IllegalStateException("cannot place a handler before Javalin's in " + server.getHandler());
        }
    }

    private static String errorCode(int status) {
        return RequestFailure.code(status);
    }

    /** The public port listened on (useful when started on port 0). */
    public int port() {
        return localPort(PUBLIC).orElseGet(app::port);
    }

    /** The management port listened on; the public port when there is none. */
    public int managementPort() {
        return localPort(ManagementPort.CONNECTOR).orElseGet(this::port);
    }

    private Optional<Integer> localPort(String connectorName) {
        for (Connector connector : app.jettyServer().server().getConnectors()) {
            if (connector instanceof ServerConnector server && connectorName.equals(server.getName())) {
                return Optional.of(server.getLocalPort());
            }
        }
        return Optional.empty();
    }

    @Override
    public void close() {
        app.stop();
    }
}
