package dev.ovation.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GRPCRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Gateway;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Listener;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.ParentReference;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The way in from outside: Gateway API routes (gateway.networking.k8s.io/v1) in every overlay but one
 * that names ingress-nginx, and in either case only the public ports, under TLS: the votes over HTTP and
 * gRPC, the results. Never a management port, and no path of the admin API or of /metrics.
 */
class RouteTest {

    /** What each overlay publishes: route or Ingress to Service and the container port it reaches. */
    static final Map<String, String> PUBLISHED = Map.of(
            "vote.ovation.example.com", "ingest:http",
            "grpc.ovation.example.com", "ingest:grpc",
            "results.ovation.example.com", "results:http");

    static List<String> overlays() {
        return Repository.overlays();
    }

    /** A way in: a route or an Ingress path, its host, its path and the container port it reaches. */
    record Way(String name, String host, String path, String service, String containerPort) {
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("overlays")
    void shouldPublishThePublicPortsWithGatewayApiUnlessTheOverlayChoosesIngressNginx(String overlay) {
        Manifests manifests = Kustomize.overlay(overlay);
        boolean ingressNginx = overlay.endsWith("-ingress-nginx");
        Map<String, String> published = new TreeMap<>();
        for (Way way : ways(manifests)) {
            published.put(way.host(), way.service() + ":" + way.containerPort());
        }

        assertThat(published).isEqualTo(PUBLISHED);
        if (ingressNginx) {
            assertThat(manifests.all(Gateway.class)).isEmpty();
            assertThat(manifests.all(HTTPRoute.class)).isEmpty();
            assertThat(manifests.all(GRPCRoute.class)).isEmpty();
            Ingress grpc = manifests.find(Ingress.class, "ovation", "ingest-grpc").orElseThrow();
            assertThat(grpc.getMetadata().getAnnotations()).containsEntry("nginx.ingress.kubernetes.io/backend-protocol", "GRPC");
        } else {
            assertThat(manifests.all(Ingress.class)).as("Ingresses in %s, which uses Gateway API", overlay).isEmpty();
            assertThat(manifests.all(GRPCRoute.class)).extracting(r -> r.getMetadata().getName()).containsExactly("ingest");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("overlays")
    void shouldRouteNoManagementPortNorTheAdminApiNorMetrics(String overlay) {
        List<Way> ways = ways(Kustomize.overlay(overlay));
        Set<String> ports = new TreeSet<>();
        Set<String> paths = new TreeSet<>();
        ways.forEach(way -> {
            ports.add(way.containerPort());
            paths.add(way.path());
        });

        assertThat(ports).as("container ports reached from outside").containsExactlyInAnyOrder("http", "grpc");
        assertThat(paths).as("paths routed").containsExactly("/");
        assertThat(ways).noneMatch(w -> w.path().startsWith("/metrics") || w.path().startsWith("/api/admin"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("overlays")
    void shouldAttachEveryRouteToAListenerOfTheGatewayUnderTls(String overlay) {
        Manifests manifests = Kustomize.overlay(overlay);
        List<String> errors = new ArrayList<>();
        List<ParentReference> parents = new ArrayList<>();
        manifests.all(HTTPRoute.class).forEach(r -> parents.addAll(r.getSpec().getParentRefs()));
        manifests.all(GRPCRoute.class).forEach(r -> parents.addAll(r.getSpec().getParentRefs()));
        for (ParentReference parent : parents) {
            Gateway gateway = manifests.find(Gateway.class, "ovation", parent.getName()).orElse(null);
            if (gateway == null || gateway.getSpec().getListeners().stream()
                    .noneMatch(l -> l.getName().equals(parent.getSectionName()))) {
                errors.add("a route attaches to " + parent.getName() + "/" + parent.getSectionName() + ", which is no listener");
            }
        }
        for (Gateway gateway : manifests.all(Gateway.class)) {
            for (Listener listener : gateway.getSpec().getListeners()) {
                boolean tls = listener.getProtocol().equals("HTTPS") && listener.getTls() != null
                        && listener.getTls().getCertificateRefs().stream().anyMatch(c -> c.getName().equals("ovation-tls"));
                boolean redirectOnly = listener.getProtocol().equals("HTTP") && manifests.all(HTTPRoute.class).stream()
                        .filter(r -> r.getSpec().getParentRefs().stream().anyMatch(p -> listener.getName().equals(p.getSectionName())))
                        .allMatch(r -> r.getSpec().getRules().stream().allMatch(rule -> rule.getBackendRefs().isEmpty()
                                && rule.getFilters().stream().anyMatch(f -> f.getType().equals("RequestRedirect")
                                && "https".equals(f.getRequestRedirect().getScheme()))));
                if (!tls && !redirectOnly) {
                    errors.add("listener " + listener.getName() + " serves without TLS");
                }
            }
        }
        assertThat(errors).isEmpty();
    }

    @Test
    void shouldSeeARouteThatReachesAManagementPort() {
        // Given a route to the port of a Service that targets the pods' management port
        Manifests wrong = new Manifests("wrong", Kustomize.parse("""
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: ingest, namespace: ovation}
                spec:
                  selector: {matchLabels: {app: ingest}}
                  template:
                    metadata: {labels: {app: ingest}}
                    spec:
                      containers:
                        - name: ingest
                          image: x
                          ports: [{name: http, containerPort: 8080}, {name: management, containerPort: 8081}]
                ---
                apiVersion: v1
                kind: Service
                metadata: {name: ingest, namespace: ovation}
                spec:
                  selector: {app: ingest}
                  ports: [{name: admin, port: 9000, targetPort: 8081}]
                ---
                apiVersion: gateway.networking.k8s.io/v1
                kind: HTTPRoute
                metadata: {name: ingest, namespace: ovation}
                spec:
                  parentRefs: [{name: ovation, sectionName: https}]
                  hostnames: [vote.ovation.example.com]
                  rules:
                    - matches: [{path: {type: PathPrefix, value: /api/admin}}]
                      backendRefs: [{name: ingest, port: 9000}]
                """));

        // Then the way it opens is to the management port, on the admin API's path
        assertThat(ways(wrong)).containsExactly(new Way("HTTPRoute ingest", "vote.ovation.example.com", "/api/admin",
                "ingest", "management"));
    }

    /** Every route rule's and every Ingress path's way to a container port. */
    static List<Way> ways(Manifests manifests) {
        List<Way> ways = new ArrayList<>();
        for (HTTPRoute route : manifests.all(HTTPRoute.class)) {
            for (var rule : route.getSpec().getRules()) {
                List<String> paths = rule.getMatches().isEmpty() ? List.of("/") : rule.getMatches().stream()
                        .map(m -> m.getPath() == null ? "/" : m.getPath().getValue()).toList();
                for (var backend : rule.getBackendRefs()) {
                    for (String host : route.getSpec().getHostnames()) {
                        for (String path : paths) {
                            ways.add(new Way("HTTPRoute " + route.getMetadata().getName(), host, path, backend.getName(),
                                    containerPort(manifests, backend.getName(), new IntOrString(backend.getPort()))));
                        }
                    }
                }
            }
        }
        for (GRPCRoute route : manifests.all(GRPCRoute.class)) {
            for (var rule : route.getSpec().getRules()) {
                for (var backend : rule.getBackendRefs()) {
                    for (String host : route.getSpec().getHostnames()) {
                        ways.add(new Way("GRPCRoute " + route.getMetadata().getName(), host, "/", backend.getName(),
                                containerPort(manifests, backend.getName(), new IntOrString(backend.getPort()))));
                    }
                }
            }
        }
        for (Ingress ingress : manifests.all(Ingress.class)) {
            ingress.getSpec().getRules().forEach(rule -> rule.getHttp().getPaths().forEach(path -> {
                var port = path.getBackend().getService().getPort();
                String service = path.getBackend().getService().getName();
                ways.add(new Way("Ingress " + ingress.getMetadata().getName(), rule.getHost(), path.getPath(), service,
                        containerPort(manifests, service, port.getName() != null ? new IntOrString(port.getName())
                                : new IntOrString(port.getNumber()))));
            }));
        }
        return ways;
    }

    /** The name of the container port that a Service's port (by number or name) targets; "?" when none. */
    static String containerPort(Manifests manifests, String serviceName, IntOrString port) {
        Service service = manifests.find(Service.class, "ovation", serviceName).orElse(null);
        if (service == null) {
            return "?";
        }
        for (ServicePort servicePort : service.getSpec().getPorts()) {
            boolean same = port.getIntVal() != null ? Objects.equals(servicePort.getPort(), port.getIntVal())
                    : port.getStrVal().equals(servicePort.getName());
            if (same) {
                IntOrString target = servicePort.getTargetPort();
                if (target != null && target.getStrVal() != null) {
                    return target.getStrVal();
                }
                int number = target != null ? target.getIntVal() : servicePort.getPort();
                return manifests.workloads().stream()
                        .filter(w -> !w.isJob() && Labels.matches(service.getSpec().getSelector(), w.labels()))
                        .flatMap(w -> Policies.containerPorts(w).entrySet().stream())
                        .filter(e -> e.getValue() == number).map(Map.Entry::getKey).findFirst().orElse(String.valueOf(number));
            }
        }
        return "?";
    }
}
