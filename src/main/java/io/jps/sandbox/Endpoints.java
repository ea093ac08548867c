package io.jps.sandbox;

import io.jps.profile.Operation;
import io.jps.profile.ProviderProfile;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Which entry of its operation table a request to a provider is, from its method and path, as the provider knows
 * its own endpoints: a {@code {name}} segment of the path template matches any one path segment.
 */
final class Endpoints {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{[^}/]+}");

    private record Endpoint(String method, Pattern path, Operation operation) {
    }

    private final Map<String, List<Endpoint>> byProvider;

    Endpoints(Map<String, ProviderProfile> profiles) {
        this.byProvider = profiles.values().stream().collect(Collectors.toUnmodifiableMap(ProviderProfile::name,
                profile -> profile.operations().values().stream()
                        .map(op -> new Endpoint(op.method(), template(op.path()), op)).toList()));
    }

    /** Whether the provider answers this request in plain JSON by design (an operation declared {@code answer: plain}). */
    boolean answersPlain(String provider, IncomingRequest request) {
        String path = request.path().contains("?") ? request.path().substring(0, request.path().indexOf('?')) : request.path();
        return byProvider.getOrDefault(provider, List.of()).stream()
                .filter(e -> e.method().equalsIgnoreCase(request.method()) && e.path().matcher(path).matches())
                .findFirst().map(e -> e.operation().answer() == Operation.Answer.PLAIN).orElse(false);
    }

    private static Pattern template(String path) {
        StringBuilder regex = new StringBuilder();
        Matcher matcher = PLACEHOLDER.matcher(path);
        int last = 0;
        while (matcher.find()) {
            regex.append(Pattern.quote(path.substring(last, matcher.start()))).append("[^/]+");
            last = matcher.end();
        }
        regex.append(Pattern.quote(path.substring(last)));
        return Pattern.compile(regex.toString());
    }
}
