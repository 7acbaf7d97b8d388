package dev.ovation.deploy;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Secrets a person creates before applying an overlay, with their keys, as docs/kubernetes.md
 * tells them to: every {@code kubectl create secret} command in it. The manifests hold no Secret.
 */
final class UserSecrets {

    private static final Pattern CREATE = Pattern.compile("kubectl (?:-n \\S+ |--namespace[ =]\\S+ )?create secret (generic|tls) ([a-z0-9-]+)(.*)");
    private static final Pattern KEY = Pattern.compile("--from-(?:literal|file)=([A-Za-z0-9._-]+)=");

    private UserSecrets() {
    }

    /** Secret name to its keys, from the guide. */
    static Map<String, Set<String>> documented() {
        return in(Repository.read("docs/kubernetes.md"));
    }

    static Map<String, Set<String>> in(String guide) {
        Map<String, Set<String>> secrets = new TreeMap<>();
        String joined = guide.replaceAll("\\\\\\R\\s*", " ");
        for (String line : joined.split("\\R")) {
            Matcher create = CREATE.matcher(line);
            if (!create.find()) {
                continue;
            }
            Set<String> keys = secrets.computeIfAbsent(create.group(2), k -> new TreeSet<>());
            if (create.group(1).equals("tls")) {
                keys.addAll(Set.of("tls.crt", "tls.key"));
            }
            Matcher key = KEY.matcher(create.group(3));
            while (key.find()) {
                keys.add(key.group(1));
            }
        }
        return secrets;
    }
}
