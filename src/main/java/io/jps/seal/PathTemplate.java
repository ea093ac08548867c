package io.jps.seal;

import com.fasterxml.jackson.databind.JsonNode;
import io.jps.profile.ReasonCode;
import java.net.URLEncoder;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Fills {@code {name}} placeholders of an operation's path from the payload's top-level fields, encoded as
 * one path segment each, and refuses paths that could leave the provider's base URL. The seal stage and the
 * dispatcher both run {@link #checked}: a record written straight onto the sealed topic meets the same rule.
 */
public final class PathTemplate {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([A-Za-z0-9_.-]+)}");
    /**
     * Servers and proxies disagree on how often they decode a path: a segment is judged in every form a
     * repeated decoding could give it, so {@code %252e%252e} is caught as well as {@code %2e%2e}.
     */
    private static final int DECODING_ROUNDS = 3;

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

    /**
     * A path to append to a provider's base URL: it must stay a path below it. Refused: anything not starting
     * with one {@code /} (an authority, a host suffix), backslashes, fragments, {@code @}, characters outside
     * visible ASCII, and segments that are or decode to {@code .} or {@code ..} (also before a {@code ;}
     * parameter, as in {@code ..;}), or that decode to a slash, a backslash or a control character.
     */
    public static String checked(String path) throws SealFailure {
        if (path == null || !path.startsWith("/") || path.startsWith("//") || path.contains("\\") || path.contains("#")
                || path.contains("@") || path.chars().anyMatch(c -> c <= 0x20 || c >= 0x7f)) {
            throw new SealFailure(ReasonCode.MALFORMED,
                    "path must be an absolute path of visible ASCII without '//' at the start, '\\', '@' or '#'");
        }
        String withoutQuery = path.contains("?") ? path.substring(0, path.indexOf('?')) : path;
        for (String segment : withoutQuery.substring(1).split("/", -1)) {
            checkSegment(segment);
        }
        return path;
    }

    private static void checkSegment(String segment) throws SealFailure {
        String form = segment;
        for (int round = 0; round <= DECODING_ROUNDS; round++) {
            String beforeParameters = form.contains(";") ? form.substring(0, form.indexOf(';')) : form;
            if (beforeParameters.equals(".") || beforeParameters.equals("..")) {
                throw new SealFailure(ReasonCode.MALFORMED, "path must not contain '.' or '..' segments, encoded or not");
            }
            if (round > 0 && (form.contains("/") || form.contains("\\") || form.chars().anyMatch(c -> c < 0x20 || c == 0x7f))) {
                throw new SealFailure(ReasonCode.MALFORMED, "path segments must not encode '/', '\\' or control characters");
            }
            if (!form.contains("%")) {
                return;
            }
            String decoded = decoded(form);
            if (decoded == null) {
                if (round == 0) {
                    throw new SealFailure(ReasonCode.MALFORMED, "path has a '%' that is not followed by two hex digits of UTF-8");
                }
                // A literal '%' that an earlier round decoded: no further decoding can make it anything else.
                return;
            }
            form = decoded;
        }
        throw new SealFailure(ReasonCode.MALFORMED, "path is encoded more than " + DECODING_ROUNDS + " times over");
    }

    /** Percent-decoding of one segment as strict UTF-8 (overlong forms of '.' are refused); null when it is not valid. */
    private static String decoded(String segment) {
        ByteBuffer bytes = ByteBuffer.allocate(segment.length());
        for (int i = 0; i < segment.length(); i++) {
            char c = segment.charAt(i);
            if (c != '%') {
                bytes.put((byte) c);
                continue;
            }
            if (i + 2 >= segment.length() || Character.digit(segment.charAt(i + 1), 16) < 0
                    || Character.digit(segment.charAt(i + 2), 16) < 0) {
                return null;
            }
            bytes.put((byte) Integer.parseInt(segment.substring(i + 1, i + 3), 16));
            i += 2;
        }
        bytes.flip();
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(bytes).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
