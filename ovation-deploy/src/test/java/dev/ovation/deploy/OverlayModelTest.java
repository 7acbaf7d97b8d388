package dev.ovation.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every overlay renders with kubectl kustomize, and every document in it is a kind Ovation expects and
 * parses strictly into its API model (fabric8 for Kubernetes, Strimzi's for Kafka, a schema for KEDA).
 */
class OverlayModelTest {

    static List<String> overlays() {
        return Repository.overlays();
    }

    @Test
    void shouldHaveTheDevProdKedaAndIngressNginxOverlays() {
        assertThat(overlays()).contains("dev", "prod", "prod-keda", "prod-ingress-nginx");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("overlays")
    void shouldParseEveryDocumentWithoutUnknownFields(String overlay) {
        Manifests manifests = Kustomize.overlay(overlay);
        List<String> errors = new ArrayList<>();
        for (JsonNode document : manifests.documents()) {
            try {
                StrictModel.parse(document);
            } catch (IllegalArgumentException e) {
                errors.add(e.getMessage());
            }
        }
        assertThat(errors).as("documents of %s that the API models reject", overlay).isEmpty();
        assertThat(manifests.documents()).hasSizeGreaterThan(20);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("overlays")
    void shouldPutEveryResourceInTheNamespaceOvationWithTheProjectsLabel(String overlay) {
        List<String> errors = new ArrayList<>();
        for (JsonNode document : Kustomize.overlay(overlay).documents()) {
            String name = StrictModel.typeOf(document) + " " + document.at("/metadata/name").asText();
            if (!document.path("kind").asText().equals("Namespace")
                    && !document.at("/metadata/namespace").asText().equals("ovation")) {
                errors.add(name + " is not in the namespace ovation");
            }
            if (!document.at("/metadata/labels/app.kubernetes.io~1part-of").asText().equals("ovation")) {
                errors.add(name + " lacks the label app.kubernetes.io/part-of: ovation");
            }
        }
        assertThat(errors).isEmpty();
    }

    @Test
    void shouldRejectAMisspeltFieldInAPodTemplate() {
        JsonNode deployment = yaml("""
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: ingest}
                spec:
                  selector: {matchLabels: {app: x}}
                  template:
                    metadata: {labels: {app: x}}
                    spec:
                      containers:
                        - name: ingest
                          image: ghcr.io/ovation/ovation:0.1.0
                          readinesProbe: {httpGet: {path: /health/ready, port: 8080}}
                """);

        assertThatThrownBy(() -> StrictModel.parse(deployment))
                .hasMessageContaining("unknown fields [.spec.template.spec.containers[0].readinesProbe]");
    }

    @Test
    void shouldRejectAFieldStrimziDoesNotKnow() {
        JsonNode topic = yaml("""
                apiVersion: kafka.strimzi.io/v1
                kind: KafkaTopic
                metadata: {name: votes}
                spec: {partitions: 12, replicas: 3, retentionMs: -1}
                """);

        assertThatThrownBy(() -> StrictModel.parse(topic)).hasMessageContaining("unknown fields [.spec.retentionMs]");
    }

    @Test
    void shouldRejectAFieldInANestedStrimziType() {
        JsonNode kafka = yaml("""
                apiVersion: kafka.strimzi.io/v1
                kind: Kafka
                metadata: {name: ovation}
                spec:
                  kafka:
                    listeners: [{name: plain, port: 9092, type: internal, tls: false, networkPolicyPeers: [{podSelector: {matchLabel: {a: b}}}]}]
                """);

        assertThatThrownBy(() -> StrictModel.parse(kafka)).hasMessageContaining(".spec.kafka.listeners[0].networkPolicyPeers[0].podSelector.matchLabel");
    }

    @Test
    void shouldRejectAFieldStrimzisV1ApiRemoved() {
        JsonNode kafka = yaml("""
                apiVersion: kafka.strimzi.io/v1
                kind: Kafka
                metadata: {name: ovation}
                spec:
                  kafka:
                    replicas: 3
                    listeners: [{name: plain, port: 9092, type: internal, tls: false}]
                """);

        assertThatThrownBy(() -> StrictModel.parse(kafka))
                .hasMessageContaining("/spec/kafka/replicas (removed in Strimzi's v1 API)");
    }

    @Test
    void shouldRejectAScaledObjectFieldOutsideTheSchema() {
        JsonNode scaledObject = yaml("""
                apiVersion: keda.sh/v1alpha1
                kind: ScaledObject
                metadata: {name: counter}
                spec:
                  scaleTargetRef: {name: counter}
                  maxReplicas: 5
                  triggers:
                    - type: kafka
                      metadata: {bootstrapServers: k:9092, consumerGroup: g, topic: votes, lagThreshold: 5000}
                """);

        assertThatThrownBy(() -> StrictModel.parse(scaledObject))
                .hasMessageContaining(".spec.maxReplicas is not a field")
                .hasMessageContaining(".spec.triggers[0].metadata.lagThreshold must be a quoted whole number");
    }

    @Test
    void shouldRejectAKindWithoutAModel() {
        JsonNode v1beta2 = yaml("""
                apiVersion: kafka.strimzi.io/v1beta2
                kind: Kafka
                metadata: {name: ovation}
                spec: {}
                """);

        assertThatThrownBy(() -> StrictModel.parse(v1beta2)).hasMessageContaining("no model for this kind");
    }

    static JsonNode yaml(String text) {
        return Kustomize.parse(text).get(0);
    }
}
