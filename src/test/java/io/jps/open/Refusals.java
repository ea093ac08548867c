package io.jps.open;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.jps.engine.Engine;
import io.jps.keys.Keyset;
import io.jps.keys.OwnKey;
import io.jps.profile.ReasonCode;
import io.jps.record.PaymentResult;
import io.jps.record.ProviderResponse;
import io.jps.support.Sent;
import io.jps.support.TestKeys;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Opens answers through the product's entry point, {@code engine.opener().open(...)}, and checks how they are
 * refused: the exact reason and phase (the phase picks the dead-letter topic), and that the message is
 * fit for a DLQ header and a log line: no plaintext of the answer, no key material.
 */
final class Refusals {

    /** A leaked secret is found by any run of this many characters of its base64 or base64url form. */
    private static final int WINDOW = 16;

    private final Engine engine;
    private final Set<String> forbiddenWindows = new HashSet<>();

    Refusals(Engine engine, Forgery forgery) {
        this.engine = engine;
        for (String provider : engine.config().providers().keySet()) {
            for (String account : TestKeys.ACCOUNTS) {
                forbidKeysOf(forgery.ours(provider, account), forgery);
                forbidKeysOf(forgery.theirs(provider, account), forgery);
                Keyset ours = forgery.ours(provider, account);
                ours.cekWrapKey().ifPresent(key -> forbid(key.getEncoded()));
                for (String secret : List.of("api-token", "api-key", "hmac-secret")) {
                    ours.secrets().get(secret).ifPresent(value -> forbidText(value));
                }
            }
        }
        // The marker as it would appear inside a base64url part (the nested JWS payload), at each alignment.
        for (int shift = 0; shift < 3; shift++) {
            String encoded = Forgery.b64("x".repeat(shift) + Forgery.MARKER);
            forbidText(encoded.substring(4, encoded.length() - 4));
        }
    }

    private void forbidKeysOf(Keyset keyset, Forgery forgery) {
        for (OwnKey key : keyset.decryptionCandidates(null, null, forgery.now())) {
            forbid(key.decrypter().getPrivateKey().getEncoded());
        }
    }

    /** Registers a secret (a content key, say) that no failure message may contain. */
    void forbid(byte[] secret) {
        forbidText(Base64.getEncoder().encodeToString(secret));
        forbidText(Base64.getUrlEncoder().withoutPadding().encodeToString(secret));
    }

    private void forbidText(String secret) {
        for (int i = 0; i + WINDOW <= secret.length(); i++) {
            forbiddenWindows.add(secret.substring(i, i + WINDOW));
        }
    }

    Refused assertRefused(ProviderResponse response, String wrappedCek) {
        return new Refused(response, wrappedCek);
    }

    Refused assertRefused(ProviderResponse response) {
        return assertRefused(response, null);
    }

    PaymentResult assertOpens(ProviderResponse response, String wrappedCek) throws OpenFailure {
        return engine.opener().open(response, Sent.to(response, wrappedCek));
    }

    PaymentResult assertOpens(ProviderResponse response) throws OpenFailure {
        return assertOpens(response, null);
    }

    void assertClean(OpenFailure failure) {
        for (String text : List.of(String.valueOf(failure.getMessage()), failure.toString())) {
            assertThat(text).as("failure message").doesNotContain(Forgery.MARKER).doesNotContain("BEGIN")
                    .doesNotContain("PRIVATE KEY");
            for (int i = 0; i + WINDOW <= text.length(); i++) {
                String window = text.substring(i, i + WINDOW);
                if (forbiddenWindows.contains(window)) {
                    fail("failure message leaks secret or plaintext material ('%s'): %s", window, text);
                }
            }
            assertThat(text.getBytes(StandardCharsets.UTF_8).length).as("failure message length").isLessThan(1024);
        }
    }

    final class Refused {

        private final ProviderResponse response;
        private final String wrappedCek;

        private Refused(ProviderResponse response, String wrappedCek) {
            this.response = response;
            this.wrappedCek = wrappedCek;
        }

        /** Opens the answer, which must fail with exactly this reason in exactly this phase; returns the failure. */
        OpenFailure with(ReasonCode reason, OpenPhase phase) {
            PaymentResult result;
            try {
                result = engine.opener().open(response, Sent.to(response, wrappedCek));
            } catch (OpenFailure failure) {
                assertThat(failure.reason()).as("reason of %s", failure).isEqualTo(reason);
                assertThat(failure.phase()).as("phase (DLQ topic %s) of %s", dlq(failure.phase()), failure).isEqualTo(phase);
                assertClean(failure);
                return failure;
            }
            throw new AssertionError("attack accepted: " + result + " (expected " + reason + " in phase " + phase + ")");
        }

        private String dlq(OpenPhase phase) {
            return phase == OpenPhase.DECRYPTION ? engine.config().topics().dlqDecryption().name()
                    : engine.config().topics().dlqSignature().name();
        }
    }
}
