package io.jps.profile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jps.config.ConfigException;
import io.jps.config.PipelineConfig;
import io.jps.support.Engines;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Where requests may go and how, checked at start: a bad setting stops the start with a message naming its key. */
class ProviderTransportValidationTest {

    @Test
    void shipsHttpsBaseUrlsTlsDefaultsAndACircuitBreakerThatRidesOutAnOutage() {
        PipelineConfig config = Engines.config(null);

        assertThat(config.providers().values()).allSatisfy(profile -> {
            assertThat(profile.baseUrl().getScheme()).isEqualTo("https");
            assertThat(profile.allowPlainHttp()).isFalse();
            assertThat(profile.tls().isDefault()).isTrue();
            assertThat(profile.proxy()).isNull();
            assertThat(profile.dispatch().maxTotalTime()).isGreaterThanOrEqualTo(Duration.ofSeconds(90));
            assertThat(profile.dispatch().circuitBreaker().openFor()).isLessThan(Duration.ofSeconds(30));
        });
    }

    @Test
    void refusesAPlainHttpBaseUrlUnlessAllowedByName() {
        assertThatThrownBy(() -> Engines.config("providers:\n  wise:\n    baseUrl: http://api.wise.example\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("providers.wise.baseUrl").hasMessageContaining("providers.wise.allowPlainHttp");

        assertThat(Engines.config("providers:\n  wise:\n    baseUrl: http://127.0.0.1:8070/wise\n    allowPlainHttp: true\n")
                .providers().get("wise").baseUrl().getScheme()).isEqualTo("http");
    }

    @Test
    void refusesABaseUrlWithUserInfoQueryOrDotSegments() {
        for (String url : new String[] {"https://user@api.wise.example", "https://api.wise.example/v1?x=1",
                "https://api.wise.example/a/../b"}) {
            assertThatThrownBy(() -> Engines.config("providers:\n  wise:\n    baseUrl: " + url + "\n"))
                    .as(url).isInstanceOf(ConfigException.class).hasMessageContaining("providers.wise.baseUrl");
        }
    }

    @Test
    void wantsTheClientCertificateAndItsKeyTogether() {
        assertThatThrownBy(() -> Engines.config("providers:\n  juspay:\n    tls: {clientCertificate: client.pem}\n"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("providers.juspay.tls.clientKey");
    }

    @Test
    void refusesTlsSettingsForPlainHttp() {
        assertThatThrownBy(() -> Engines.config("providers:\n  juspay:\n    baseUrl: http://127.0.0.1:1\n"
                + "    allowPlainHttp: true\n    tls: {trustStore: ca.pem}\n"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("providers.juspay.tls");
    }

    @Test
    void wantsTheProxyAsHostAndPort() {
        assertThat(Engines.config("providers:\n  juspay:\n    proxy: egress.internal:3128\n").providers().get("juspay").proxy())
                .isEqualTo("egress.internal:3128");
        for (String proxy : new String[] {"egress.internal", "http://egress.internal:3128", "egress.internal:3128/x", "u@egress:1"}) {
            assertThatThrownBy(() -> Engines.config("providers:\n  juspay:\n    proxy: \"" + proxy + "\"\n"))
                    .as(proxy).isInstanceOf(ConfigException.class).hasMessageContaining("providers.juspay.proxy");
        }
    }

    @Test
    void keepsTheHeadersTheDispatcherSetsItselfOutOfAProfile() {
        for (String header : new String[] {"Host", "authorization", "Content-Length", "X-idempotence-uuid"}) {
            assertThatThrownBy(() -> Engines.config("providers:\n  wise:\n    headers: {" + header + ": x}\n"))
                    .as(header).isInstanceOf(ConfigException.class).hasMessageContaining("providers.wise.headers");
        }
    }

    @Test
    void refusesACircuitBreakerThatCouldNeverOpenOrClose() {
        assertThatThrownBy(() -> Engines.config("providers:\n  wise:\n    dispatch: {circuitBreaker: {failureRate: 0}}\n"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("providers.wise.dispatch.circuitBreaker.failureRate");
        assertThatThrownBy(() -> Engines.config("providers:\n  wise:\n    dispatch: {circuitBreaker: {openFor: PT0S}}\n"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("providers.wise.dispatch.circuitBreaker.openFor");
    }
}
