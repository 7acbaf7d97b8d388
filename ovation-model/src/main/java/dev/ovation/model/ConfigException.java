package dev.ovation.model;

/** A setting with a bad value; the message names the setting and says what is expected. */
public final class ConfigException extends RuntimeException {

    public ConfigException(String message) {
        super(message);
    }
}
