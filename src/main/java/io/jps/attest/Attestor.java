package io.jps.attest;

import io.jps.keys.CryptoBackend;
import io.jps.record.ProviderResponse;
import io.jps.record.SealedRequest;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import javax.crypto.Mac;

/**
 * Attestations ({@code jps.attestation}): HMAC-SHA256 under the deployment's {@link AttestationKey} over the
 * fields of a record that decide what the pipeline does with it. SEAL attests every sealed request, so the
 * dispatcher sends only what SEAL sealed; the dispatcher attests every answer it writes, so OPEN opens only
 * what the dispatcher received. Each kind of record has its own domain tag and every field is length-prefixed,
 * so no attestation of one record can pass for another's.
 */
public final class Attestor {

    static final String MAC = "HmacSHA256";
    private static final String RESPONSE_DOMAIN = "jps.attestation.provider-response.v1";
    private static final String SEALED_DOMAIN = "jps.attestation.sealed-request.v1";
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

    private final ThreadLocal<Mac> macs;
    private final ThreadLocal<MessageDigest> digests;

    public Attestor(AttestationKey key, CryptoBackend backend) {
        this.macs = ThreadLocal.withInitial(() -> {
            try {
                return backend.hmacSha256(key.secretKey());
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("HMAC-SHA256 is not available", e);
            }
        });
        this.digests = ThreadLocal.withInitial(() -> {
            try {
                return backend.sha256();
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("SHA-256 is not available", e);
            }
        });
    }

    /** Over requestId, provider, account, httpStatus, the body's SHA-256, attempts, dispatchedAt and respondedAt. */
    public String attest(ProviderResponse response) {
        return ENCODER.encodeToString(new Fields(RESPONSE_DOMAIN)
                .add(response.requestId()).add(response.provider()).add(response.account())
                .add(response.httpStatus()).add(sha256(response.body()))
                .add(response.attempts()).add(response.dispatchedAt()).add(response.respondedAt())
                .mac(macs.get()));
    }

    /** Over requestId, provider, account, method, path, every header, the body's SHA-256 and sealedAt. */
    public String attest(SealedRequest request) {
        Fields fields = new Fields(SEALED_DOMAIN)
                .add(request.requestId()).add(request.provider()).add(request.account())
                .add(request.method()).add(request.path());
        Map<String, String> headers = new TreeMap<>();
        request.headers().forEach((name, value) -> headers.put(name.toLowerCase(Locale.ROOT), value));
        fields.add(headers.size());
        headers.forEach((name, value) -> fields.add(name).add(value));
        return ENCODER.encodeToString(fields.add(sha256(request.body())).add(request.sealedAt()).mac(macs.get()));
    }

    public boolean verifies(ProviderResponse response, String attestation) {
        return attestation != null && constantTimeEquals(attest(response), attestation);
    }

    public boolean verifies(SealedRequest request, String attestation) {
        return attestation != null && constantTimeEquals(attest(request), attestation);
    }

    private static boolean constantTimeEquals(String expected, String given) {
        return MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII), given.getBytes(StandardCharsets.UTF_8));
    }

    /** Null stays distinct from every string, the empty one included. */
    private byte[] sha256(String body) {
        return body == null ? null : digests.get().digest(body.getBytes(StandardCharsets.UTF_8));
    }

    /** A domain tag, then each field as a 4-byte length (-1 for null) and its bytes. */
    private static final class Fields {
        private final java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream(256);

        Fields(String domain) {
            add(domain);
        }

        Fields add(String value) {
            return add(value == null ? null : value.getBytes(StandardCharsets.UTF_8));
        }

        Fields add(long value) {
            return add(Long.toString(value));
        }

        Fields add(byte[] value) {
            bytes.writeBytes(ByteBuffer.allocate(4).putInt(value == null ? -1 : value.length).array());
            if (value != null) {
                bytes.writeBytes(value);
            }
            return this;
        }

        byte[] mac(Mac mac) {
            return mac.doFinal(bytes.toByteArray());
        }
    }

    @Override
    public String toString() {
        return "Attestor[HMAC-SHA256]";
    }
}
