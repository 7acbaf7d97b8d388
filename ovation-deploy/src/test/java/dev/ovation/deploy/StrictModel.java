package dev.ovation.deploy;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GRPCRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Gateway;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.strimzi.api.kafka.model.kafka.Kafka;
import io.strimzi.api.kafka.model.nodepool.KafkaNodePool;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a manifest into its API model, strictly: the Kubernetes kinds with fabric8's model, Strimzi's
 * with Strimzi's own, KEDA's ScaledObject against {@link KedaSchema}, the Prometheus Operator's PodMonitor
 * and PrometheusRule against {@link MonitoringSchema}. Both models keep a field they do
 * not know in an {@code additionalProperties} map instead of failing, so every such map in the parsed
 * object tree must be empty: a misspelt or misplaced field, which the API server would drop or
 * reject, fails here.
 */
final class StrictModel {

    /** The kinds Ovation's manifests may contain, by {@code apiVersion/kind}. */
    static final Map<String, Class<?>> KINDS = Map.ofEntries(
            Map.entry("v1/Namespace", Namespace.class),
            Map.entry("v1/Service", Service.class),
            Map.entry("v1/ConfigMap", ConfigMap.class),
            Map.entry("v1/Secret", Secret.class),
            Map.entry("v1/ServiceAccount", ServiceAccount.class),
            Map.entry("apps/v1/Deployment", Deployment.class),
            Map.entry("apps/v1/StatefulSet", StatefulSet.class),
            Map.entry("v1/PersistentVolumeClaim", PersistentVolumeClaim.class),
            Map.entry("batch/v1/Job", Job.class),
            Map.entry("batch/v1/CronJob", CronJob.class),
            Map.entry("gateway.networking.k8s.io/v1/Gateway", Gateway.class),
            Map.entry("gateway.networking.k8s.io/v1/HTTPRoute", HTTPRoute.class),
            Map.entry("gateway.networking.k8s.io/v1/GRPCRoute", GRPCRoute.class),
            Map.entry("autoscaling/v2/HorizontalPodAutoscaler", HorizontalPodAutoscaler.class),
            Map.entry("policy/v1/PodDisruptionBudget", PodDisruptionBudget.class),
            Map.entry("networking.k8s.io/v1/Ingress", Ingress.class),
            Map.entry("networking.k8s.io/v1/NetworkPolicy", NetworkPolicy.class),
            Map.entry("rbac.authorization.k8s.io/v1/Role", Role.class),
            Map.entry("rbac.authorization.k8s.io/v1/RoleBinding", RoleBinding.class),
            Map.entry("kafka.strimzi.io/v1/Kafka", Kafka.class),
            Map.entry("kafka.strimzi.io/v1/KafkaNodePool", KafkaNodePool.class),
            Map.entry("kafka.strimzi.io/v1/KafkaTopic", KafkaTopic.class));

    static final String SCALED_OBJECT = "keda.sh/v1alpha1/ScaledObject";

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .build();

    private StrictModel() {
    }

    static String typeOf(JsonNode document) {
        return document.path("apiVersion").asText() + "/" + document.path("kind").asText();
    }

    /**
     * The document as its model object; for a ScaledObject, a PodMonitor or a PrometheusRule, which
     * have no Java model, the tree itself once its schema ({@link KedaSchema}, {@link MonitoringSchema})
     * accepts it.
     *
     * @throws IllegalArgumentException naming the document and every field the model does not know
     */
    static Object parse(JsonNode document) {
        String type = typeOf(document);
        String name = type + " " + document.path("metadata").path("name").asText();
        KedaSchema schema = SCALED_OBJECT.equals(type) ? KedaSchema.SCALED_OBJECT : MonitoringSchema.KINDS.get(type);
        if (schema != null) {
            List<String> errors = schema.validate(document);
            if (!errors.isEmpty()) {
                throw new IllegalArgumentException(name + ": " + String.join("; ", errors));
            }
            return document;
        }
        Class<?> model = KINDS.get(type);
        if (model == null) {
            throw new IllegalArgumentException(name + ": no model for this kind; known: " + KINDS.keySet()
                    + ", " + SCALED_OBJECT + " and " + MonitoringSchema.KINDS.keySet());
        }
        Object parsed;
        try {
            parsed = MAPPER.treeToValue(document, model);
        } catch (Exception e) {
            throw new IllegalArgumentException(name + ": " + e.getMessage(), e);
        }
        List<String> unknown = new ArrayList<>(unknownFields(parsed));
        if (type.startsWith("kafka.strimzi.io/")) {
            StrimziV1.removedFieldsIn(document).forEach(f -> unknown.add(f + " (removed in Strimzi's v1 API)"));
        }
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException(name + ": unknown fields " + unknown);
        }
        return parsed;
    }

    /** The paths of every field that landed in an {@code additionalProperties} map, anywhere in the tree. */
    static List<String> unknownFields(Object root) {
        List<String> found = new ArrayList<>();
        walk(root, "", found, Collections.newSetFromMap(new IdentityHashMap<>()));
        return found;
    }

    private static void walk(Object value, String path, List<String> found, Set<Object> seen) {
        if (value == null || !seen.add(value)) {
            return;
        }
        if (value instanceof Collection<?> items) {
            int i = 0;
            for (Object item : items) {
                walk(item, path + "[" + i++ + "]", found, seen);
            }
            return;
        }
        if (value instanceof Map<?, ?> map) {
            map.forEach((key, item) -> walk(item, path + "." + key, found, seen));
            return;
        }
        if (!isModel(value.getClass())) {
            return;
        }
        for (Class<?> type = value.getClass(); type != null && isModel(type); type = type.getSuperclass()) {
            for (Field field : type.getDeclaredFields()) {
                if (Modifier.isStatic(field.getModifiers())) {
                    continue;
                }
                field.setAccessible(true);
                Object fieldValue;
                try {
                    fieldValue = field.get(value);
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException("cannot read " + field, e);
                }
                if (field.getName().equals("additionalProperties")) {
                    if (fieldValue instanceof Map<?, ?> extra && !extra.isEmpty()) {
                        extra.keySet().forEach(key -> found.add(path + "." + key));
                    }
                } else {
                    walk(fieldValue, path + "." + field.getName(), found, seen);
                }
            }
        }
    }

    private static boolean isModel(Class<?> type) {
        String name = type.getName();
        return name.startsWith("io.fabric8.kubernetes.api.model.") || name.startsWith("io.strimzi.api.")
                || name.startsWith("io.fabric8.kubernetes.client.CustomResource");
    }
}
