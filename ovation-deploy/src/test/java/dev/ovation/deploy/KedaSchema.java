package dev.ovation.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * KEDA publishes no Java model, so its ScaledObject is checked against this small schema of the fields
 * Ovation uses (keda.sh/v1alpha1, KEDA 2.x): an unknown field, a wrong type or a missing required field
 * is an error, as it would be for the API server with KEDA's CRD installed.
 */
sealed interface KedaSchema {

    /** The errors of {@code node} at {@code path}; empty when it conforms. */
    List<String> validate(JsonNode node, String path);

    default List<String> validate(JsonNode node) {
        return validate(node, "");
    }

    record Text() implements KedaSchema {
        @Override
        public List<String> validate(JsonNode node, String path) {
            return node.isTextual() ? List.of() : List.of(path + " must be a string, not " + node.getNodeType());
        }
    }

    /** A string holding a whole number: KEDA's trigger metadata are strings even for numbers. */
    record NumberText() implements KedaSchema {
        @Override
        public List<String> validate(JsonNode node, String path) {
            return node.isTextual() && node.asText().matches("-?\\d+") ? List.of()
                    : List.of(path + " must be a quoted whole number, not " + node);
        }
    }

    record Integer() implements KedaSchema {
        @Override
        public List<String> validate(JsonNode node, String path) {
            return node.isIntegralNumber() ? List.of() : List.of(path + " must be a whole number, not " + node);
        }
    }

    record Flag() implements KedaSchema {
        @Override
        public List<String> validate(JsonNode node, String path) {
            return node.isBoolean() ? List.of()
                    : List.of(path + " must be true or false, not " + node);
        }
    }

    /** "true" or "false" as a string, as trigger metadata holds them. */
    record FlagText() implements KedaSchema {
        @Override
        public List<String> validate(JsonNode node, String path) {
            return node.isTextual() && node.asText().matches("true|false") ? List.of()
                    : List.of(path + " must be \"true\" or \"false\" (quoted), not " + node);
        }
    }

    /** Any JSON value: a part whose inner schema is Kubernetes' own (an HPA behavior). */
    record Anything() implements KedaSchema {
        @Override
        public List<String> validate(JsonNode node, String path) {
            return List.of();
        }
    }

    record Strings() implements KedaSchema {
        @Override
        public List<String> validate(JsonNode node, String path) {
            List<String> errors = new ArrayList<>();
            if (!node.isObject()) {
                return List.of(path + " must be a map of strings");
            }
            node.fields().forEachRemaining(e -> {
                if (!e.getValue().isTextual()) {
                    errors.add(path + "." + e.getKey() + " must be a string");
                }
            });
            return errors;
        }
    }

    record ListOf(KedaSchema item) implements KedaSchema {
        @Override
        public List<String> validate(JsonNode node, String path) {
            if (!node.isArray()) {
                return List.of(path + " must be a list");
            }
            List<String> errors = new ArrayList<>();
            for (int i = 0; i < node.size(); i++) {
                errors.addAll(item.validate(node.get(i), path + "[" + i + "]"));
            }
            return errors;
        }
    }

    /** An object with these fields and no others; {@code required} must be present. */
    record Fields(Map<String, KedaSchema> fields, Set<String> required) implements KedaSchema {
        @Override
        public List<String> validate(JsonNode node, String path) {
            if (!node.isObject()) {
                return List.of(path + " must be an object");
            }
            List<String> errors = new ArrayList<>();
            for (String name : required) {
                if (!node.has(name)) {
                    errors.add(path + "." + name + " is required");
                }
            }
            for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
                String name = names.next();
                KedaSchema schema = fields.get(name);
                if (schema == null) {
                    errors.add(path + "." + name + " is not a field of the schema (known: "
                            + fields.keySet() + ")");
                } else {
                    errors.addAll(schema.validate(node.get(name), path + "." + name));
                }
            }
            return errors;
        }
    }

    /** A trigger: its metadata keys are checked per trigger type (only kafka is used). */
    record Trigger(Map<String, Fields> metadataByType) implements KedaSchema {
        @Override
        public List<String> validate(JsonNode node, String path) {
            Fields trigger = new Fields(Map.of("type", new Text(), "name", new Text(), "metadata", new Anything(),
                    "authenticationRef", new Fields(Map.of("name", new Text(), "kind", new Text()), Set.of("name")),
                    "metricType", new Text(), "useCachedMetrics", new Flag()), Set.of("type", "metadata"));
            List<String> errors = new ArrayList<>(trigger.validate(node, path));
            String type = node.path("type").asText();
            Fields metadata = metadataByType.get(type);
            if (metadata == null) {
                errors.add(path + ".type " + type + " is not a trigger type this schema knows: " + metadataByType.keySet());
            } else if (node.has("metadata")) {
                errors.addAll(metadata.validate(node.get("metadata"), path + ".metadata"));
            }
            return errors;
        }
    }

    /** The metadata of a kafka trigger (KEDA's Apache Kafka scaler); every value is a string. */
    Fields KAFKA_TRIGGER = new Fields(Map.ofEntries(
            Map.entry("bootstrapServers", new Text()),
            Map.entry("consumerGroup", new Text()),
            Map.entry("topic", new Text()),
            Map.entry("lagThreshold", new NumberText()),
            Map.entry("activationLagThreshold", new NumberText()),
            Map.entry("offsetResetPolicy", new Text()),
            Map.entry("allowIdleConsumers", new FlagText()),
            Map.entry("excludePersistentLag", new FlagText()),
            Map.entry("scaleToZeroOnInvalidOffset", new FlagText()),
            Map.entry("limitToPartitionsWithLag", new FlagText()),
            Map.entry("partitionLimitation", new Text()),
            Map.entry("version", new Text())),
            Set.of("bootstrapServers", "consumerGroup", "topic"));

    Fields SPEC = new Fields(Map.ofEntries(
            Map.entry("scaleTargetRef", new Fields(Map.of("apiVersion", new Text(), "kind", new Text(),
                    "name", new Text(), "envSourceContainerName", new Text()), Set.of("name"))),
            Map.entry("pollingInterval", new Integer()),
            Map.entry("cooldownPeriod", new Integer()),
            Map.entry("initialCooldownPeriod", new Integer()),
            Map.entry("idleReplicaCount", new Integer()),
            Map.entry("minReplicaCount", new Integer()),
            Map.entry("maxReplicaCount", new Integer()),
            Map.entry("fallback", new Fields(Map.of("failureThreshold", new Integer(), "replicas", new Integer()),
                    Set.of("failureThreshold", "replicas"))),
            Map.entry("advanced", new Fields(Map.of(
                    "restoreToOriginalReplicaCount", new Flag(),
                    "horizontalPodAutoscalerConfig", new Fields(Map.of("name", new Text(), "behavior", new Anything()),
                            Set.of())), Set.of())),
            Map.entry("triggers", new ListOf(new Trigger(Map.of("kafka", KAFKA_TRIGGER))))),
            Set.of("scaleTargetRef", "triggers"));

    /** The ScaledObject fields of KEDA 2.x that a Deployment's autoscaling uses. */
    KedaSchema SCALED_OBJECT = new Fields(Map.of(
            "apiVersion", new Text(),
            "kind", new Text(),
            "metadata", new Fields(Map.of("name", new Text(), "namespace", new Text(), "labels", new Strings(),
                    "annotations", new Strings()), Set.of("name")),
            "spec", SPEC),
            Set.of("apiVersion", "kind", "metadata", "spec"));
}
