package io.jps.sandbox;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.jps.profile.Credentials;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Checks a bearer JWT as PortOne does: HS256 under the account's secret, {@code iss} the profile's issuer,
 * {@code sub} the account's client key, {@code exp} in the future and no further from {@code iat} than the
 * profile's lifetime. The HMAC is computed with the JDK: Nimbus's {@code MACVerifier} refuses secrets shorter
 * than 256 bits, which PortOne issues and accepts (see {@code seal.Hs256Signer}).
 */
final class Hs256Token {

    private Hs256Token() {
    }

    /**
     * @param subject the account's value of {@code credentials.subjectSecret}
     * @param secret  the account's value of {@code credentials.hmacSecret}
     */
    static void check(String token, Credentials credentials, String subject, String secret, Instant now, Duration clockSkew)
            throws Refused {
        SignedJWT jwt;
        JWTClaimsSet claims;
        try {
            jwt = SignedJWT.parse(token);
            claims = jwt.getJWTClaimsSet();
        } catch (ParseException e) {
            throw new Refused(Refusal.BAD_TOKEN);
        }
        if (!JWSAlgorithm.HS256.equals(jwt.getHeader().getAlgorithm()) || !macMatches(jwt, secret)) {
            throw new Refused(Refusal.BAD_TOKEN);
        }
        Date issued = claims.getIssueTime();
        Date expires = claims.getExpirationTime();
        if (!credentials.issuer().equals(claims.getIssuer()) || !subject.equals(claims.getSubject())
                || issued == null || expires == null) {
            throw new Refused(Refusal.BAD_TOKEN);
        }
        if (!expires.toInstant().isAfter(now)) {
            throw new Refused(Refusal.TOKEN_EXPIRED);
        }
        // A token issued in the future, or living longer than the documented 100 s, would stay usable for too long.
        if (issued.toInstant().isAfter(now.plus(clockSkew))
                || Duration.between(issued.toInstant(), expires.toInstant()).compareTo(credentials.lifetime()) > 0) {
            throw new Refused(Refusal.BAD_TOKEN);
        }
    }

    private static boolean macMatches(SignedJWT jwt, String secret) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return MessageDigest.isEqual(mac.doFinal(jwt.getSigningInput()), jwt.getSignature().decode());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }
}
