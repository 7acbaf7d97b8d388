package dev.ovation.model;

import java.util.Map;

/**
 * Typed reads of settings from a map of environment variables, failing fast with a message that
 * names the variable. Built on a plain {@code Map} so that configuration is unit-tested without
 * touching the process environment.
 */
public final class Env {

    private final Map<String, String> vars;

    public Env(Map<String, String> vars) {
        this.vars = Map.copyOf(vars);
    }

    /** The process environment. */
    public static Env system() {
        return new Env(System.getenv());
    }

    /** The value of {@code name}, or {@code fallback} when unset or blank. */
    public String string(String name, String fallback) {
        String value = vars.get(name);
        return value == null || value.isBlank() ? fallback : value.strip();
    }

    /** A TCP port (0 to 65535; 0 picks a free one). */
    public int port(String name, int fallback) {
        return intInRange(name, fallback, 0, 65_535);
    }

    /** What {@link #portOrSame} returns for {@code same}. */
    public static final int SAME_PORT = -1;

    /** A TCP port, or {@code same} ({@link #SAME_PORT}): no port of its own, another port serves it too. */
    public int portOrSame(String name, int fallback) {
        String value = string(name, null);
        if ("same".equals(value)) {
            return SAME_PORT;
        }
        try {
            return port(name, fallback);
        } catch (ConfigException e) {
            throw new ConfigException(e.getMessage() + ", or same");
        }
    }

    /** A whole number between {@code min} and {@code max}, inclusive. */
    public int intInRange(String name, int fallback, int min, int max) {
        String value = string(name, null);
        if (value == null) {
            return fallback;
        }
        try {
            int parsed = Integer.parseInt(value);
            if (parsed < min || parsed > max) {
                throw new ConfigException(name + "=" + value + " is out of range; expected " + min + " to " + max);
            }
            return parsed;
        } catch (NumberFormatException e) {
            throw new ConfigException(name + "=" + value + " is not a whole number; expected " + min + " to " + max);
        }
    }
}
