package io.jps.seal;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.jps.keys.KeyRing;
import io.jps.keys.Keyset;
import io.jps.keys.KeysetLookup;
import io.jps.profile.Credentials;
import io.jps.profile.ProviderProfile;
import io.jps.profile.ReasonCode;
import io.jps.record.SealedRequest;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import java.util.UUID;

/**
 * The credential headers a request needs at the moment it is sent, and only then: a bearer token from the
 * keyset's secrets, or (PortOne) an HS256 JWT minted for this very attempt, since a token minted at seal
 * time would expire while the request waits in the queue. Nothing returned here may be logged or stored.
 */
public final class SendTimeCredentials {

    public static final String AUTHORIZATION = "Authorization";

    private final Map<String, ProviderProfile> profiles;
    private final KeyRing keyRing;
    private final Clock clock;

    public SendTimeCredentials(Map<String, ProviderProfile> profiles, KeyRing keyRing, Clock clock) {
        this.profiles = Map.copyOf(profiles);
        this.keyRing = keyRing;
        this.clock = clock;
    }

    public Map<String, String> headersFor(SealedRequest request) throws SealFailure {
        Credentials credentials = credentialsOf(request);
        return switch (credentials.scheme()) {
            case NONE -> Map.of();
            case BEARER -> Map.of(AUTHORIZATION, "Bearer " + secret(keysetOf(request), credentials.secret()));
            case JWT_HS256 -> Map.of(AUTHORIZATION, "Bearer " + mintJwt(credentials, keysetOf(request)));
        };
    }

    /**
     * Fails as {@link #headersFor} would when the keyset lacks what the request needs, but mints nothing: for a check
     * before the request waits its turn, the headers themselves being made only when it is sent.
     */
    public void check(SealedRequest request) throws SealFailure {
        Credentials credentials = credentialsOf(request);
        switch (credentials.scheme()) {
            case NONE -> {
            }
            case BEARER -> secret(keysetOf(request), credentials.secret());
            case JWT_HS256 -> {
                Keyset keyset = keysetOf(request);
                secret(keyset, credentials.subjectSecret());
                secret(keyset, credentials.hmacSecret());
            }
        }
    }

    private Credentials credentialsOf(SealedRequest request) throws SealFailure {
        ProviderProfile profile = profiles.get(request.provider());
        if (profile == null) {
            throw new SealFailure(ReasonCode.UNKNOWN_PROVIDER, "no profile for provider '" + request.provider() + "'");
        }
        return profile.credentials();
    }

    private Keyset keysetOf(SealedRequest request) throws SealFailure {
        KeysetLookup lookup = keyRing.lookup(request.provider(), request.account());
        return lookup.found().orElseThrow(() -> new SealFailure(ReasonCode.UNKNOWN_ACCOUNT,
                "no keyset for " + request.provider() + "/" + request.account()));
    }

    private String mintJwt(Credentials credentials, Keyset keyset) throws SealFailure {
        Instant issued = clock.instant();
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .issuer(credentials.issuer())
                .subject(secret(keyset, credentials.subjectSecret()))
                .issueTime(Date.from(issued))
                .expirationTime(Date.from(issued.plus(credentials.lifetime())))
                // iat has whole seconds: without an id, two attempts within one second would carry the same token
                .jwtID(UUID.randomUUID().toString())
                .build();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).type(JOSEObjectType.JWT).build(), claims);
        try {
            jwt.sign(new Hs256Signer(secret(keyset, credentials.hmacSecret()).getBytes(StandardCharsets.UTF_8)));
        } catch (JOSEException e) {
            throw new SealFailure(ReasonCode.SEAL_FAILED, "minting the HS256 token for " + keyset.id() + " failed ("
                    + e.getClass().getSimpleName() + ")");
        }
        return jwt.serialize();
    }

    private static String secret(Keyset keyset, String name) throws SealFailure {
        return keyset.secrets().get(name).orElseThrow(() -> new SealFailure(ReasonCode.NO_KEY,
                "secrets.properties of " + keyset.id() + " has no '" + name + "'"));
    }
}
