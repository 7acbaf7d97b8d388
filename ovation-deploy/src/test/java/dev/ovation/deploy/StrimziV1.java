package dev.ovation.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What Strimzi's v1 API (Strimzi 1.x, the only API its operator serves) removed from v1beta2 in the
 * resources Ovation uses. The Java model used here (io.strimzi:api 0.51.0, the newest that runs on
 * Java 17) is one class for both versions, so it still accepts these fields; Strimzi 1.x rejects them.
 * The list is the difference between the fields of the 0.51.0 and 1.2.0 model classes.
 */
final class StrimziV1 {

    static final Map<String, List<String>> REMOVED = Map.of(
            "Kafka", List.of("/spec/zookeeper", "/spec/jmxTrans", "/spec/kafka/replicas", "/spec/kafka/storage",
                    "/spec/kafka/resources", "/spec/kafka/template/statefulset", "/spec/kafka/rack/topologyKey",
                    "/spec/entityOperator/tlsSidecar", "/spec/entityOperator/template/tlsSidecarContainer",
                    "/spec/entityOperator/topicOperator/reconciliationIntervalSeconds",
                    "/spec/entityOperator/userOperator/reconciliationIntervalSeconds",
                    "/spec/entityOperator/userOperator/zookeeperSessionTimeoutSeconds",
                    "/spec/cruiseControl/tlsSidecar"),
            "KafkaNodePool", List.of("/spec/storage/overrides"));

    private StrimziV1() {
    }

    /** The removed fields present in a Strimzi document, as JSON pointers. */
    static List<String> removedFieldsIn(JsonNode document) {
        List<String> present = new ArrayList<>();
        for (String pointer : REMOVED.getOrDefault(document.path("kind").asText(), List.of())) {
            if (!document.at(pointer).isMissingNode()) {
                present.add(pointer);
            }
        }
        JsonNode volumes = document.at("/spec/storage/volumes");
        for (int i = 0; i < volumes.size(); i++) {
            if (volumes.get(i).has("overrides")) {
                present.add("/spec/storage/volumes/" + i + "/overrides");
            }
        }
        return present;
    }
}
