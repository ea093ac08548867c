package io.jps.seal;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.jca.JCAContext;
import com.nimbusds.jose.util.Base64URL;
import java.security.GeneralSecurityException;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * HS256 with whatever secret the provider issued. Nimbus's {@code MACSigner} refuses secrets shorter than
 * 256 bits (RFC 7518, 3.2), but PortOne's documented secrets can be shorter and PortOne accepts them, so
 * the HMAC is computed with the JDK and everything else (header, claims, serialization) stays Nimbus's.
 */
final class Hs256Signer implements JWSSigner {

    private final SecretKeySpec secret;
    private final JCAContext context = new JCAContext();

    Hs256Signer(byte[] secret) {
        this.secret = new SecretKeySpec(secret, "HmacSHA256");
    }

    @Override
    public Base64URL sign(JWSHeader header, byte[] signingInput) throws JOSEException {
        if (!JWSAlgorithm.HS256.equals(header.getAlgorithm())) {
            throw new JOSEException("only HS256 is signed here");
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(secret);
            return Base64URL.encode(mac.doFinal(signingInput));
        } catch (GeneralSecurityException e) {
            throw new JOSEException("HmacSHA256 unavailable", e);
        }
    }

    @Override
    public Set<JWSAlgorithm> supportedJWSAlgorithms() {
        return Set.of(JWSAlgorithm.HS256);
    }

    @Override
    public JCAContext getJCAContext() {
        return context;
    }

    @Override
    public String toString() {
        return "Hs256Signer[secret hidden]";
    }
}
