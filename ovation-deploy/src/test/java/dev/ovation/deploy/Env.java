package dev.ovation.deploy;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import java.util.LinkedHashMap;
import java.util.Map;

/** A container's environment as name to literal value (null for a value from a Secret or field). */
final class Env {

    private Env() {
    }

    static Map<String, String> of(Container container) {
        Map<String, String> env = new LinkedHashMap<>();
        for (EnvVar var : container.getEnv()) {
            env.put(var.getName(), var.getValueFrom() == null ? var.getValue() : null);
        }
        return env;
    }

    static Map<String, String> ovation(Container container) {
        Map<String, String> env = new LinkedHashMap<>();
        of(container).forEach((name, value) -> {
            if (name.startsWith("OVATION_")) {
                env.put(name, value);
            }
        });
        return env;
    }
}
