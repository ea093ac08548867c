package io.jps.dispatch;

import io.jps.profile.Operation;
import io.jps.profile.PathTemplates;
import io.jps.profile.Printable;
import io.jps.profile.ProviderProfile;
import io.jps.record.SealedRequest;
import io.jps.seal.PathTemplate;
import io.jps.seal.SealFailure;
import java.net.URI;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Decides what a sealed record may make the dispatcher send. Anyone who can write to the sealed topic could
 * otherwise steer a request, and the credentials added to it, to another host ({@code baseUrl + path} as a
 * string turns {@code @host/x} into an authority), to another resource ({@code /v1/.%2e/admin}), or smuggle
 * headers ({@code Host}). So the URL is built from the profile and checked again once built, the path must pass
 * the check the seal stage applies, the method must be one the profile uses, and only the profile's header names
 * are copied from the record.
 */
final class RequestGuard {

    private static final Set<String> METHODS = Set.of("GET", "POST", "PUT", "PATCH", "DELETE");

    private RequestGuard() {
    }

    /** The request may not be sent; the message says which rule it broke, never a header value. */
    static final class NotAllowed extends Exception {
        NotAllowed(String message) {
            super(message, null, false, false);
        }
    }

    static AllowedRequest allow(SealedRequest request, ProviderProfile profile) throws NotAllowed {
        String path = checkedPath(request.path());
        return new AllowedRequest(uri(profile.baseUrl(), path), method(request.method(), path, profile),
                headers(request.headers(), profile), request.body());
    }

    private static String checkedPath(String path) throws NotAllowed {
        try {
            return PathTemplate.checked(path);
        } catch (SealFailure e) {
            throw new NotAllowed(e.getMessage());
        }
    }

    /** Scheme, host, port and base path are the base URL's; the record contributes what follows the base path. */
    private static URI uri(URI baseUrl, String path) throws NotAllowed {
        String basePath = baseUrl.getRawPath() == null ? "" : baseUrl.getRawPath().replaceAll("/+$", "");
        URI uri;
        try {
            uri = URI.create(baseUrl.getScheme() + "://" + baseUrl.getRawAuthority() + basePath + path);
        } catch (IllegalArgumentException e) {
            throw new NotAllowed("path is not a valid URI path");
        }
        boolean sameOrigin = baseUrl.getScheme().equalsIgnoreCase(uri.getScheme()) && uri.getRawUserInfo() == null
                && baseUrl.getHost().equalsIgnoreCase(uri.getHost()) && port(baseUrl) == port(uri);
        if (!sameOrigin || uri.getRawPath() == null || !uri.getRawPath().startsWith(basePath + "/")) {
            throw new NotAllowed("path leaves the provider's base URL");
        }
        return uri;
    }

    private static int port(URI uri) {
        return uri.getPort() != -1 ? uri.getPort() : uri.getScheme().toLowerCase(Locale.ROOT).equals("https") ? 443 : 80;
    }

    /** Any of the five methods a profile may use; on a path of the operation table, that operation's method. */
    private static String method(String method, String path, ProviderProfile profile) throws NotAllowed {
        if (method == null || !METHODS.contains(method)) {
            throw new NotAllowed("method '" + Printable.of(method) + "' is not one of " + new TreeSet<>(METHODS));
        }
        Set<String> operationMethods = profile.operations().values().stream()
                .filter(operation -> PathTemplates.matches(operation.path(), path))
                .map(Operation::method).collect(Collectors.toCollection(TreeSet::new));
        if (!operationMethods.isEmpty() && !operationMethods.contains(method)) {
            throw new NotAllowed("method " + method + " is not the method of the operation at this path " + operationMethods);
        }
        return method;
    }

    private static Map<String, String> headers(Map<String, String> headers, ProviderProfile profile) throws NotAllowed {
        Set<String> allowed = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        allowed.addAll(profile.headers().keySet());
        allowed.addAll(profile.headersFromSecrets().keySet());
        Map<String, String> copied = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (Map.Entry<String, String> header : headers.entrySet()) {
            String name = header.getKey();
            if (!allowed.contains(name)) {
                throw new NotAllowed("header '" + Printable.of(name) + "' is not one of the profile's " + allowed);
            }
            if (copied.containsKey(name)) {
                throw new NotAllowed("header '" + Printable.of(name) + "' appears twice");
            }
            String value = header.getValue();
            if (value == null || value.chars().anyMatch(c -> (c < 0x20 && c != '\t') || c == 0x7f)) {
                throw new NotAllowed("header '" + Printable.of(name) + "' has no value or one with control characters");
            }
            copied.put(name, value);
        }
        return copied;
    }
}
