package io.jps.seal;

import com.fasterxml.jackson.databind.JsonNode;
import io.jps.profile.ReasonCode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Fills {@code {name}} placeholders of an operation's path from the payload's top-level fields, encoded as
 * one path segment each, and refuses paths that could leave the provider's base URL.
 */
final class PathTemplate {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([A-Za-z0-9_.-]+)}");

    private PathTemplate() {
    }

    static String fill(String template, JsonNode payload) throws SealFailure {
        Matcher matcher = PLACEHOLDER.matcher(template);
        StringBuilder path = new StringBuilder();
        while (matcher.find()) {
            String name = matcher.group(1);
            JsonNode value = payload.get(name);
            if (value == null || !(value.isTextual() || value.isIntegralNumber()) || value.asText().isEmpty()) {
                throw new SealFailure(ReasonCode.MALFORMED, "path parameter '" + name + "' must be a non-empty string "
                        + "or integer field of the payload");
            }
            String segment = URLEncoder.encode(value.asText(), StandardCharsets.UTF_8).replace("+", "%20");
            matcher.appendReplacement(path, Matcher.quoteReplacement(segment));
        }
        matcher.appendTail(path);
        return checked(path.toString());
    }

    /** A path given directly by a request: it must stay a path on the provider's host. */
    static String checked(String path) throws SealFailure {
        if (!path.startsWith("/") || path.startsWith("//") || path.contains("\\") || path.contains("#")
                || path.chars().anyMatch(c -> c <= 0x20 || c >= 0x7f)) {
            throw new SealFailure(ReasonCode.MALFORMED, "path must be an absolute path of visible ASCII without '//', '\\' or '#'");
        }
        String withoutQuery = path.contains("?") ? path.substring(0, path.indexOf('?')) : path;
        for (String segment : withoutQuery.split("/")) {
            if (segment.equals("..") || segment.equals(".") || segment.equalsIgnoreCase("%2e%2e") || segment.equalsIgnoreCase("%2e")) {
                throw new SealFailure(ReasonCode.MALFORMED, "path must not contain '.' or '..' segments");
            }
        }
        return path;
    }
}
