package io.jps.profile;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.time.Duration;
import java.util.Locale;

/**
 * The credentials the dispatcher adds at send time, named by the secret that holds them in the
 * keyset's {@code secrets.properties}. They never travel through a topic.
 *
 * @param scheme        none, a static bearer token, or an HS256 JWT minted for every attempt
 * @param secret        {@code bearer}: the secret holding the token (Wise {@code api-token}, Socure {@code api-key})
 * @param issuer        {@code jwt-hs256}: the {@code iss} claim (PortOne: {@code PORTONE})
 * @param subjectSecret {@code jwt-hs256}: the secret whose value is the {@code sub} claim (PortOne's client key)
 * @param hmacSecret    {@code jwt-hs256}: the secret the token is signed with
 * @param lifetime      {@code jwt-hs256}: {@code exp - iat} (PortOne: 100 seconds)
 */
public record Credentials(
        Scheme scheme,
        String secret,
        String issuer,
        String subjectSecret,
        String hmacSecret,
        Duration lifetime) {

    public static final Credentials NONE = new Credentials(Scheme.NONE, null, null, null, null, null);

    public Credentials {
        scheme = scheme == null ? Scheme.NONE : scheme;
    }

    public enum Scheme {
        NONE("none"), BEARER("bearer"), JWT_HS256("jwt-hs256");

        private final String wireName;

        Scheme(String wireName) {
            this.wireName = wireName;
        }

        @JsonValue
        public String wireName() {
            return wireName;
        }

        @JsonCreator
        public static Scheme fromWireName(String name) {
            String wanted = name.trim().toLowerCase(Locale.ROOT);
            for (Scheme s : values()) {
                if (s.wireName.equals(wanted)) {
                    return s;
                }
            }
            throw new IllegalArgumentException("'" + name + "' is not a credentials scheme (none, bearer, jwt-hs256)");
        }
    }
}
