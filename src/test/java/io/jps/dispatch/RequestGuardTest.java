package io.jps.dispatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jps.config.PipelineConfig;
import io.jps.profile.ProviderProfile;
import io.jps.record.SealedRequest;
import io.jps.support.Engines;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What a record on the sealed topic can make the dispatcher send, against a base URL with a path and one without. */
class RequestGuardTest {

    private static final PipelineConfig CONFIG = Engines.config("providers:\n"
            + "  wise:\n    baseUrl: https://api.wise.example/gateway/\n"
            + "  socure:\n    baseUrl: https://riskos.socure.example\n");
    private static final ProviderProfile WISE = CONFIG.providers().get("wise");
    private static final ProviderProfile SOCURE = CONFIG.providers().get("socure");

    @Test
    void buildsTheUrlFromTheBaseUrlAndKeepsTheProfilesHeaders() throws Exception {
        AllowedRequest allowed = RequestGuard.allow(request("POST", "/v1/cases", Map.of("content-type", "application/jose+json",
                "Accept", "application/jose+json")), WISE);

        assertThat(allowed.uri()).isEqualTo(URI.create("https://api.wise.example/gateway/v1/cases"));
        assertThat(allowed.method()).isEqualTo("POST");
        assertThat(allowed.headers()).containsOnlyKeys("content-type", "Accept");
        assertThat(RequestGuard.allow(request("GET", "/v1/cases/42?full=1", Map.of()), WISE).uri())
                .isEqualTo(URI.create("https://api.wise.example/gateway/v1/cases/42?full=1"));
        assertThat(RequestGuard.allow(request("POST", "/api/evaluation", Map.of()), SOCURE).uri())
                .isEqualTo(URI.create("https://riskos.socure.example/api/evaluation"));
    }

    @Test
    void refusesPathsThatLeaveTheBaseUrl() {
        for (ProviderProfile profile : new ProviderProfile[] {WISE, SOCURE}) {
            for (String path : new String[] {".attacker.example/x", "@127.0.0.1:9/x", "//127.0.0.1:9/x", ":8443/x",
                    "/v1/../../x", "/v1/.%2e/x", "/v1/%2e./x", "/v1/..;/x", "/v1/a%2f..%2fx", "/v1/\"x\"", "/v1/{x}"}) {
                assertNotAllowed(request("POST", path, Map.of()), profile);
            }
        }
    }

    @Test
    void refusesMethodsTheProfileDoesNotUse() {
        for (String method : new String[] {"TRACE", "CONNECT", "OPTIONS", "HEAD", "post", "GET\r\nX: y"}) {
            assertNotAllowed(request(method, "/v1/other", Map.of()), WISE);
        }
        // /v1/cases is the path of the `case` operation, which is a POST
        assertNotAllowed(request("DELETE", "/v1/cases", Map.of()), WISE);
        assertNotAllowed(request("POST", "/v1/cases/42", Map.of()), WISE);
    }

    @Test
    void refusesHeadersThatAreNotTheProfilesCaseInsensitivelyOrTwice() {
        assertNotAllowed(request("POST", "/v1/cases", Map.of("Host", "127.0.0.1:9")), WISE);
        assertNotAllowed(request("POST", "/v1/cases", Map.of("X-Forwarded-Host", "attacker.example")), WISE);
        assertNotAllowed(request("POST", "/v1/cases", Map.of("Authorization", "Bearer mine")), WISE);
        assertNotAllowed(request("POST", "/v1/cases", Map.of("Accept", "a\r\nHost: attacker.example")), WISE);
        Map<String, String> twice = new HashMap<>(Map.of("Accept", "a", "ACCEPT", "b"));
        assertNotAllowed(request("POST", "/v1/cases", twice), WISE);
    }

    private static SealedRequest request(String method, String path, Map<String, String> headers) {
        return new SealedRequest("r-1", "wise", "default", method, path, headers, "body", 1L);
    }

    private static void assertNotAllowed(SealedRequest request, ProviderProfile profile) {
        assertThatThrownBy(() -> RequestGuard.allow(request, profile)).as(request.method() + " " + request.path() + " "
                + request.headers()).isInstanceOf(RequestGuard.NotAllowed.class);
    }
}
