package io.jps.dispatch;

import io.jps.config.ConfigException;
import io.jps.keys.TlsMaterial;
import io.jps.profile.ProfileValidator;
import io.jps.profile.ProviderProfile;
import io.jps.profile.ProviderTls;
import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * One HTTP client per provider, each with its own trust store, client certificate and proxy, so that one
 * provider's TLS settings never apply to another's. None follows redirects: a redirect would carry the
 * credentials to wherever the answer points.
 */
final class ProviderHttpClients {

    private final Map<String, HttpClient> clients;

    private ProviderHttpClients(Map<String, HttpClient> clients) {
        this.clients = Map.copyOf(clients);
    }

    /** Reads every provider's TLS files now: a missing or broken one stops the start, naming its key. */
    static ProviderHttpClients create(Map<String, ProviderProfile> profiles, Duration connectTimeout) {
        Map<String, HttpClient> clients = new HashMap<>();
        profiles.forEach((name, profile) -> clients.put(name, client(profile, connectTimeout)));
        return new ProviderHttpClients(clients);
    }

    HttpClient of(String provider) {
        HttpClient client = clients.get(provider);
        if (client == null) {
            throw new IllegalArgumentException("no HTTP client for provider " + provider);
        }
        return client;
    }

    private static HttpClient client(ProviderProfile profile, Duration connectTimeout) {
        HttpClient.Builder builder = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER);
        ProviderTls tls = profile.tls();
        if (!tls.isDefault()) {
            try {
                builder.sslContext(TlsMaterial.context(path(tls.trustStore()), path(tls.clientCertificate()), path(tls.clientKey())));
            } catch (TlsMaterial.Unusable e) {
                String key = switch (e.part()) {
                    case TRUSTED_CAS -> "trustStore";
                    case CERTIFICATE_CHAIN -> "clientCertificate";
                    case PRIVATE_KEY -> "clientKey";
                };
                throw new ConfigException("configuration key providers." + profile.name() + ".tls." + key + ": " + e.getMessage());
            }
        }
        if (profile.proxy() != null) {
            URI proxy = ProfileValidator.proxyUri(profile.proxy());
            builder.proxy(ProxySelector.of(new InetSocketAddress(proxy.getHost(), proxy.getPort())));
        }
        return builder.build();
    }

    private static Path path(String file) {
        return file == null ? null : Path.of(file);
    }
}
