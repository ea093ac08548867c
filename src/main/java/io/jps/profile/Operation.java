package io.jps.profile;

/**
 * One entry of a provider's operation table. {@code {name}} placeholders in the path are filled from
 * the payload's top-level fields of the same name.
 */
public record Operation(String method, String path) {
}
