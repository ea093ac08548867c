package io.jps.keys;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;

/**
 * An account's credentials and identifiers from {@code secrets.properties}. A value written
 * {@code env:NAME} is read from that environment variable. Values are only handed out by name;
 * {@code toString} lists the names.
 */
public final class Secrets {

    public static final String FILE = "secrets.properties";
    static final String ENV_PREFIX = "env:";

    private final Map<String, String> values;

    private Secrets(Map<String, String> values) {
        this.values = Map.copyOf(values);
    }

    public static Secrets none() {
        return new Secrets(Map.of());
    }

    static Secrets read(Path file, Map<String, String> environment) throws KeysetException {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(reader);
        } catch (IOException | IllegalArgumentException e) {
            throw new KeysetException(FILE + ": not readable as properties (" + e.getClass().getSimpleName() + ")");
        }
        Map<String, String> values = new TreeMap<>();
        for (String name : properties.stringPropertyNames()) {
            String value = properties.getProperty(name).trim();
            if (value.startsWith(ENV_PREFIX)) {
                String variable = value.substring(ENV_PREFIX.length()).trim();
                value = environment.get(variable);
                if (value == null || value.isEmpty()) {
                    throw new KeysetException(FILE + ": '" + name + "' refers to environment variable " + variable
                            + ", which is not set");
                }
            }
            values.put(name, value);
        }
        return new Secrets(values);
    }

    public Optional<String> get(String name) {
        return Optional.ofNullable(values.get(name));
    }

    @Override
    public String toString() {
        return "Secrets" + values.keySet();
    }
}
