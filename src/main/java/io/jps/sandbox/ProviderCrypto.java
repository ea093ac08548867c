package io.jps.sandbox;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWEAlgorithm;
import com.nimbusds.jose.JWEHeader;
import com.nimbusds.jose.JWEObject;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import io.jps.keys.CryptoBackend;
import io.jps.keys.KeyRing;
import io.jps.keys.Keyset;
import io.jps.keys.KeysetLookup;
import io.jps.keys.OwnKey;
import io.jps.keys.PeerKey;
import io.jps.open.JoseOpener;
import io.jps.open.OpenFailure;
import io.jps.open.OpenPhase;
import io.jps.open.Opened;
import io.jps.open.OpeningPolicy;
import io.jps.profile.AnswerOpening;
import io.jps.profile.ProviderProfile;
import io.jps.profile.ReasonCode;
import io.jps.profile.RequestSeal;
import io.jps.profile.WireForm;
import io.jps.profile.WireForms;
import io.jps.seal.JoseSealer;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import javax.crypto.SecretKey;

/**
 * The provider's side of every profile, with the provider's keys ({@code sandbox-keys/}): opens what we
 * send exactly as the provider would (decrypt with its private key, verify with our public key, refuse
 * anything but the profile's algorithms), and seals answers the way the provider does. The same JOSE
 * code as our side runs, mirrored; only the keys and the direction differ.
 */
public final class ProviderCrypto {

    /** The message of the refusal of a Wise request whose {@code url} header names another path (no reason code says it). */
    static final String URL_MISMATCH = "protected header url does not match the request path";

    private final Map<String, ProviderProfile> profiles;
    private final KeyRing providerKeys;
    private final CryptoBackend backend;
    private final JoseOpener opener;
    private final JoseSealer sealer;
    private final Clock clock;

    public ProviderCrypto(Map<String, ProviderProfile> profiles, KeyRing providerKeys, CryptoBackend backend, Clock clock,
                          JoseOpener opener) {
        this.profiles = Map.copyOf(profiles);
        this.providerKeys = providerKeys;
        this.backend = backend;
        this.opener = opener;
        this.sealer = new JoseSealer(backend);
        this.clock = clock;
    }

    /** A request as the provider read it: the plaintext payload, and the request's content key when it had one. */
    public record OpenedRequest(byte[] payload, String signerKid, SecretKey contentKey) {
        @Override
        public String toString() {
            return "OpenedRequest[" + payload.length + " bytes, signerKid=" + signerKid + "]";
        }
    }

    /** How to answer: normally, or (Wise) with {@code alg: dir} under the request's content key. */
    public enum AnswerMode { NORMAL, DIRECT }

    public OpenedRequest openRequest(String provider, String account, String path, String body) throws OpenFailure {
        ProviderProfile profile = profile(provider);
        RequestSeal seal = profile.seal();
        if (seal.wireForm() == WireForm.JSON) {
            return new OpenedRequest(body.getBytes(StandardCharsets.UTF_8), null, null);
        }
        String token;
        try {
            token = WireForms.unwrap(body, seal.wireForm(), seal.envelopeField());
        } catch (WireForms.NotInWireForm e) {
            throw new OpenFailure(OpenPhase.DECRYPTION, ReasonCode.MALFORMED, e.getMessage());
        }
        Keyset keyset = keyset(provider, account);
        Opened opened = opener.open(token, OpeningPolicy.forRequests(seal), keyset, null, clock.instant());
        SecretKey contentKey = null;
        if (seal.encrypts()) {
            JWEObject jwe = parseJwe(token);
            if (seal.urlHeader() && !path.equals(jwe.getHeader().getCustomParam("url"))) {
                throw new OpenFailure(OpenPhase.DECRYPTION, ReasonCode.MALFORMED, URL_MISMATCH);
            }
            contentKey = seal.wrapCek() ? recoverContentKey(jwe, keyset) : null;
        }
        return new OpenedRequest(opened.plaintext(), opened.verifiedKid(), contentKey);
    }

    /** The answer body the provider would send for {@code payload}. */
    public String sealAnswer(String provider, String account, byte[] payload, AnswerMode mode, SecretKey requestKey)
            throws JOSEException, OpenFailure {
        return seal(provider, account, payload, mode, requestKey, null);
    }

    /**
     * An answer as {@link #sealAnswer} makes it, correctly encrypted to the merchant, but signed by {@code impostor}
     * under the provider key's own {@code kid}: what a forger who knows the kid would send.
     */
    public String sealForgedAnswer(String provider, String account, byte[] payload, JWSSigner impostor)
            throws JOSEException, OpenFailure {
        return seal(provider, account, payload, AnswerMode.NORMAL, null, impostor);
    }

    private String seal(String provider, String account, byte[] payload, AnswerMode mode, SecretKey requestKey,
                        JWSSigner impostor) throws JOSEException, OpenFailure {
        ProviderProfile profile = profile(provider);
        AnswerOpening opening = profile.open();
        if (!opening.wireForm().isSealed()) {
            return new String(payload, StandardCharsets.UTF_8);
        }
        Keyset keyset = keyset(provider, account);
        Instant now = clock.instant();
        String token = null;
        if (opening.verifies()) {
            JWSAlgorithm algorithm = JWSAlgorithm.parse(opening.signature().get(0));
            OwnKey signingKey = keyset.signingKey(algorithm, now).orElseThrow(() -> new JOSEException("no provider key to sign with"));
            JWSHeader header = new JWSHeader.Builder(algorithm).keyID(signingKey.kid()).build();
            token = sealer.sign(header, payload, impostor != null ? impostor : signingKey.signer());
        }
        if (opening.decrypts()) {
            byte[] plaintext = token != null ? token.getBytes(StandardCharsets.US_ASCII) : payload;
            token = mode == AnswerMode.DIRECT
                    ? sealer.encryptDirect(new JWEHeader.Builder(JWEAlgorithm.DIR, opening.encryptionMethods().iterator().next())
                    .build(), plaintext, requestKey)
                    : encryptToMerchant(plaintext, opening, keyset, token != null, now);
        }
        return WireForms.wrap(token, opening.wireForm(), opening.envelopeField());
    }

    private String encryptToMerchant(byte[] plaintext, AnswerOpening opening, Keyset keyset, boolean nested, Instant now)
            throws JOSEException {
        JWEAlgorithm algorithm = JWEAlgorithm.parse(opening.encryption().get(0));
        PeerKey merchantKey = keyset.encryptionKey(algorithm, now).orElseThrow(() -> new JOSEException("no merchant key to encrypt to"));
        JWEHeader.Builder header = new JWEHeader.Builder(algorithm, opening.encryptionMethods().iterator().next())
                // Wise and Juspay name the merchant key pair the answer is encrypted to.
                .keyID(merchantKey.kid());
        if (nested) {
            header.contentType("JWT");
        }
        if (opening.honourExpiry()) {
            // Juspay's answers carry iat (and "exp": null) in the JWE protected header.
            header.customParam("iat", now.getEpochSecond());
        }
        return sealer.encrypt(header.build(), plaintext, merchantKey, false).compact();
    }

    private SecretKey recoverContentKey(JWEObject jwe, Keyset keyset) throws OpenFailure {
        for (OwnKey key : keyset.decryptionCandidates(jwe.getHeader().getKeyID(), jwe.getHeader().getAlgorithm(), clock.instant())) {
            try {
                return backend.decryptContentKey(key, jwe.getHeader().getAlgorithm(), jwe.getEncryptedKey().decode());
            } catch (JOSEException e) {
                // the next key, if any
            }
        }
        throw new OpenFailure(OpenPhase.DECRYPTION, ReasonCode.DECRYPT_FAILED, "content key not recoverable");
    }

    private static JWEObject parseJwe(String token) throws OpenFailure {
        try {
            return JWEObject.parse(token);
        } catch (ParseException e) {
            throw new OpenFailure(OpenPhase.DECRYPTION, ReasonCode.MALFORMED, "not a JWE");
        }
    }

    private ProviderProfile profile(String provider) throws OpenFailure {
        ProviderProfile profile = profiles.get(provider);
        if (profile == null) {
            throw new OpenFailure(OpenPhase.DECRYPTION, ReasonCode.UNKNOWN_PROVIDER, "no profile for " + provider);
        }
        return profile;
    }

    private Keyset keyset(String provider, String account) throws OpenFailure {
        KeysetLookup lookup = providerKeys.lookup(provider, account);
        return lookup.found().orElseThrow(() -> new OpenFailure(OpenPhase.DECRYPTION, ReasonCode.UNKNOWN_ACCOUNT,
                "no sandbox keyset for " + provider + "/" + account));
    }
}
