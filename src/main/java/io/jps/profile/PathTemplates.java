package io.jps.profile;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Whether a request path is an instance of an operation's path template: a {@code {name}} segment matches any one
 * path segment, the rest literally. How a provider recognises its own endpoints, and how we tell which operation a
 * request given by method and path is.
 */
public final class PathTemplates {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{[^}/]+}");
    private static final Map<String, Pattern> COMPILED = new ConcurrentHashMap<>();

    private PathTemplates() {
    }

    /** Whether {@code path}, its query string aside, is an instance of {@code template}. */
    public static boolean matches(String template, String path) {
        int query = path.indexOf('?');
        String bare = query < 0 ? path : path.substring(0, query);
        return COMPILED.computeIfAbsent(template, PathTemplates::compile).matcher(bare).matches();
    }

    private static Pattern compile(String template) {
        StringBuilder regex = new StringBuilder();
        Matcher matcher = PLACEHOLDER.matcher(template);
        int last = 0;
        while (matcher.find()) {
            regex.append(Pattern.quote(template.substring(last, matcher.start()))).append("[^/]+");
            last = matcher.end();
        }
        regex.append(Pattern.quote(template.substring(last)));
        return Pattern.compile(regex.toString());
    }
}
