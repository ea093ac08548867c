package io.jps.config;

/** Bad configuration, found at start; the message names the key and says what is wrong with it. */
public final class ConfigException extends RuntimeException {
    public ConfigException(String message) {
        super(message);
    }
}
