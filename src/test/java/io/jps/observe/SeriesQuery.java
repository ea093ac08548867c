package io.jps.observe;

/**
 * An alert or panel expression turned into one that returns its series whatever their values: each comparison
 * gets PromQL's {@code bool} modifier, so {@code x > 1000} answers 0 or 1 for every series of {@code x}
 * instead of nothing while all is well. Label matchers ({@code {a!="b"}}) and strings are left alone.
 */
final class SeriesQuery {

    private SeriesQuery() {
    }

    static String of(String expression) {
        StringBuilder out = new StringBuilder();
        int braces = 0;
        char quote = 0;
        for (int i = 0; i < expression.length(); i++) {
            char c = expression.charAt(i);
            out.append(c);
            if (quote != 0) {
                if (c == '\\' && i + 1 < expression.length()) {
                    out.append(expression.charAt(++i));
                } else if (c == quote) {
                    quote = 0;
                }
                continue;
            }
            switch (c) {
                case '"', '\'', '`' -> quote = c;
                case '{' -> braces++;
                case '}' -> braces--;
                default -> {
                    int length = braces == 0 ? comparisonLength(expression, i) : 0;
                    if (length > 0) {
                        out.append(expression, i + 1, i + length);
                        i += length - 1;
                        if (!expression.startsWith("bool", skipSpaces(expression, i + 1))) {
                            out.append(" bool");
                        }
                    }
                }
            }
        }
        return out.toString();
    }

    /** The length of the comparison operator ({@code == != >= <= > <}) at {@code i}, or 0 when there is none. */
    private static int comparisonLength(String text, int i) {
        char c = text.charAt(i);
        char next = i + 1 < text.length() ? text.charAt(i + 1) : 0;
        if ((c == '=' || c == '!' || c == '>' || c == '<') && next == '=') {
            return 2;
        }
        return c == '>' || c == '<' ? 1 : 0;
    }

    private static int skipSpaces(String text, int from) {
        int i = from;
        while (i < text.length() && Character.isWhitespace(text.charAt(i))) {
            i++;
        }
        return i;
    }
}
