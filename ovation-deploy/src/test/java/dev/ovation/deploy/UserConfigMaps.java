package dev.ovation.deploy;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The ConfigMaps a person creates before applying an overlay, with their keys and the example values the
 * guide gives, as docs/kubernetes.md tells them to: every {@code kubectl create configmap} command in it.
 * They hold what only the cluster's owner knows, such as the CIDR of the Gateway's pods.
 */
final class UserConfigMaps {

    private static final Pattern CREATE = Pattern.compile("kubectl (?:-n \\S+ |--namespace[ =]\\S+ )?create configmap ([a-z0-9-]+)(.*)");
    private static final Pattern LITERAL = Pattern.compile("--from-literal=([A-Za-z0-9._-]+)=(\"[^\"]*\"|'[^']*'|\\S+)");

    private UserConfigMaps() {
    }

    /** ConfigMap name to its keys and their example values, from the guide. */
    static Map<String, Map<String, String>> documented() {
        return in(Repository.read("docs/kubernetes.md"));
    }

    static Map<String, Map<String, String>> in(String guide) {
        Map<String, Map<String, String>> configMaps = new TreeMap<>();
        String joined = guide.replaceAll("\\\\\\R\\s*", " ");
        for (String line : joined.split("\\R")) {
            Matcher create = CREATE.matcher(line);
            if (!create.find()) {
                continue;
            }
            Map<String, String> keys = configMaps.computeIfAbsent(create.group(1), k -> new LinkedHashMap<>());
            Matcher literal = LITERAL.matcher(create.group(2));
            while (literal.find()) {
                keys.put(literal.group(1), literal.group(2).replaceAll("^[\"']|[\"']$", ""));
            }
        }
        return configMaps;
    }
}
