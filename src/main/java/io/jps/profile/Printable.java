package io.jps.profile;

/**
 * Names that come from outside (a provider in a request, an {@code alg} in a header) are echoed in error
 * messages and headers: short and printable, so they cannot forge log lines or flood a header.
 */
public final class Printable {

    private static final int MAX_CHARS = 64;

    private Printable() {
    }

    public static String of(String text) {
        if (text == null) {
            return "null";
        }
        String clean = text.codePoints().map(c -> c < 0x20 || c == 0x7f ? '?' : c)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
        return clean.length() > MAX_CHARS ? clean.substring(0, MAX_CHARS) + "..." : clean;
    }
}
