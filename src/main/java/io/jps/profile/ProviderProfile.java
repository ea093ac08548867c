package io.jps.profile;

import java.net.URI;
import java.util.Map;
import java.util.Optional;

/**
 * Everything that makes one provider different from another, as data. The four presets live in
 * {@code topology/pipeline.yaml}; a fifth JOSE-speaking provider is added there, without code.
 *
 * @param name               the provider's name, as in {@code PaymentRequest.provider} and {@code keys/<provider>/}
 * @param baseUrl            scheme, host and optional path prefix the dispatcher sends to
 * @param resultTopic        a result topic of its own instead of {@code payments.results}; null for the shared one
 * @param seal               how requests are sealed
 * @param open               how answers are opened
 * @param credentials        what the dispatcher adds at send time
 * @param headers            static, non-secret request headers
 * @param headersFromSecrets request headers whose value is a non-secret identifier kept in {@code secrets.properties}
 *                           (Juspay's {@code x-merchantid}, PortOne's {@code X-Portone-Client-Key})
 * @param operations         named operations: method and path template
 * @param dispatch           retries, timeouts, rate limit and idempotency header for sending
 * @param tls                trust store and client certificate towards this provider
 * @param proxy              {@code host:port} of an HTTP proxy (CONNECT for https) to reach the provider through;
 *                           null for a direct connection
 * @param allowPlainHttp     accept an {@code http://} baseUrl; credentials then travel in clear text, so only loopback
 *                           sandboxes set it
 */
public record ProviderProfile(
        String name,
        URI baseUrl,
        String resultTopic,
        RequestSeal seal,
        AnswerOpening open,
        Credentials credentials,
        Map<String, String> headers,
        Map<String, String> headersFromSecrets,
        Map<String, Operation> operations,
        Dispatch dispatch,
        ProviderTls tls,
        String proxy,
        boolean allowPlainHttp) {

    public ProviderProfile {
        seal = seal == null ? new RequestSeal(null, null, null, null, null, null, false, false, null, null) : seal;
        open = open == null
                ? new AnswerOpening(null, null, null, null, false, null, false, null, true, false) : open;
        credentials = credentials == null ? Credentials.NONE : credentials;
        headers = headers == null ? Map.of() : Map.copyOf(headers);
        headersFromSecrets = headersFromSecrets == null ? Map.of() : Map.copyOf(headersFromSecrets);
        operations = operations == null ? Map.of() : Map.copyOf(operations);
        tls = tls == null ? ProviderTls.JVM_DEFAULTS : tls;
    }

    public Optional<Operation> operation(String operationName) {
        return Optional.ofNullable(operations.get(operationName));
    }

    /** The name of the operation a request with this method and path is (its query string aside), if any. */
    public Optional<String> operationNameFor(String method, String path) {
        return operations.entrySet().stream()
                .filter(e -> e.getValue().method().equalsIgnoreCase(method) && PathTemplates.matches(e.getValue().path(), path))
                .map(Map.Entry::getKey).sorted().findFirst();
    }

    public ProviderProfile withName(String newName) {
        return new ProviderProfile(newName, baseUrl, resultTopic, seal, open, credentials, headers,
                headersFromSecrets, operations, dispatch, tls, proxy, allowPlainHttp);
    }
}
