package io.jps.keys;

import com.nimbusds.jose.Algorithm;
import io.jps.keys.KeyInfo.Purpose;
import io.jps.profile.AnswerOpening;
import io.jps.profile.Credentials;
import io.jps.profile.ProviderProfile;
import io.jps.profile.RequestSeal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * What a keyset must hold, derived from its provider's profile alone, so that a profile added in
 * {@code pipeline.yaml} gets the same rules as the presets: a private key where the profile signs requests or
 * decrypts answers, the provider's public key where it encrypts requests or verifies answers, every secret its
 * credentials and headers name, and {@code cek-wrap.key} where answers may come under the request's own key.
 * Nothing else: a PortOne keyset is {@code secrets.properties} alone. The provider's side (the sandbox) needs the
 * same keys with the roles mirrored (it decrypts requests and signs answers with its private key).
 */
public final class KeyRequirements {

    /** One thing a key must be able to do: a purpose, the algorithms any one of which will do, and how to say it. */
    private record KeyRole(Purpose purpose, List<String> algorithms, String description) {
        boolean permittedBy(KeyInfo info) {
            return algorithms.stream().anyMatch(alg -> info.permits(purpose, new Algorithm(alg)));
        }
    }

    /**
     * One requirement, as the README and {@code keys generate} describe it.
     *
     * @param files what satisfies it ({@code merchant-private.pem or a private key in *.jwks.json})
     * @param role  what it is for ({@code sign requests with RS256, decrypt answers with RSA-OAEP-256})
     */
    public record Requirement(String files, String role) {
        @Override
        public String toString() {
            return files + " (" + role + ")";
        }
    }

    private final KeysetLayout layout;
    private final List<KeyRole> privateKeyRoles;
    private final List<KeyRole> publicKeyRoles;
    /** Secret name to the settings that use it, in the order they are described. */
    private final Map<String, List<String>> secrets;
    private final String cekWrapRole;

    private KeyRequirements(KeysetLayout layout, List<KeyRole> privateKeyRoles, List<KeyRole> publicKeyRoles,
                            Map<String, List<String>> secrets, String cekWrapRole) {
        this.layout = layout;
        this.privateKeyRoles = List.copyOf(privateKeyRoles);
        this.publicKeyRoles = List.copyOf(publicKeyRoles);
        this.secrets = secrets;
        this.cekWrapRole = cekWrapRole;
    }

    /** What our keyset ({@code keys/<provider>/<account>/}) must hold for this profile. */
    public static KeyRequirements of(ProviderProfile profile) {
        return of(profile, KeysetLayout.MERCHANT);
    }

    public static KeyRequirements of(ProviderProfile profile, KeysetLayout layout) {
        RequestSeal seal = profile.seal();
        AnswerOpening open = profile.open();
        List<KeyRole> privateRoles = new ArrayList<>();
        List<KeyRole> publicRoles = new ArrayList<>();
        if (layout.providerSide()) {
            // The sandbox answers with the first algorithm of each allow-list.
            if (seal.encrypts()) {
                privateRoles.add(role(Purpose.DECRYPT, List.of(seal.encryption()), "decrypt requests"));
            }
            if (open.verifies()) {
                privateRoles.add(role(Purpose.SIGN, List.of(open.signature().get(0)), "sign answers"));
            }
            if (seal.signs()) {
                publicRoles.add(role(Purpose.VERIFY, List.of(seal.signature()), "verify requests"));
            }
            if (!open.encryption().isEmpty()) {
                publicRoles.add(role(Purpose.ENCRYPT, List.of(open.encryption().get(0)), "encrypt answers"));
            }
        } else {
            if (seal.signs()) {
                privateRoles.add(role(Purpose.SIGN, List.of(seal.signature()), "sign requests"));
            }
            if (!open.encryption().isEmpty()) {
                privateRoles.add(role(Purpose.DECRYPT, open.encryption(), "decrypt answers"));
            }
            if (seal.encrypts()) {
                publicRoles.add(role(Purpose.ENCRYPT, List.of(seal.encryption()), "encrypt requests"));
            }
            if (open.verifies()) {
                publicRoles.add(role(Purpose.VERIFY, open.signature(), "verify answers"));
            }
        }
        // Only our side keeps content keys: the provider recovers a request's key by decrypting it.
        String cekWrapRole = !layout.providerSide() && (seal.wrapCek() || open.directEncryption())
                ? "keep each request's content key, wrapped, to open alg: dir answers" : null;
        return new KeyRequirements(layout, privateRoles, publicRoles, secretsOf(profile), cekWrapRole);
    }

    public boolean needsPrivateKey() {
        return !privateKeyRoles.isEmpty();
    }

    public boolean needsPublicKey() {
        return !publicKeyRoles.isEmpty();
    }

    public boolean needsCekWrapKey() {
        return cekWrapRole != null;
    }

    /** The file of each requirement and what it is for, in the order a keyset is described. */
    public List<Requirement> describe() {
        List<Requirement> all = new ArrayList<>();
        if (needsPrivateKey()) {
            all.add(new Requirement(privateKeyFiles(), describe(privateKeyRoles)));
        }
        if (needsPublicKey()) {
            all.add(new Requirement(publicKeyFiles(), describe(publicKeyRoles)));
        }
        secrets.forEach((name, uses) -> all.add(new Requirement(Secrets.FILE + ": " + name, String.join("; ", uses))));
        if (needsCekWrapKey()) {
            all.add(new Requirement(KeysetLayout.CEK_WRAP_KEY, cekWrapRole));
        }
        return all;
    }

    /**
     * Refuses a keyset that lacks anything this profile uses, naming each missing file or secret and its role.
     *
     * @param hasSecretsFile whether the directory has a {@code secrets.properties} at all
     */
    void check(Keyset keyset, boolean hasSecretsFile) throws KeysetException {
        List<String> problems = new ArrayList<>();
        checkKeys(keyset.ownKeyInfos(), privateKeyRoles, layout.ownPrivateFile(), "private", problems);
        checkKeys(keyset.peerKeyInfos(), publicKeyRoles, layout.peerPublicFile(), "public", problems);
        secrets.forEach((name, uses) -> {
            if (keyset.secrets().get(name).filter(value -> !value.isEmpty()).isEmpty()) {
                problems.add((hasSecretsFile ? Secrets.FILE + " has no '" + name + "'" : "no " + Secrets.FILE + " with '" + name + "'")
                        + " (" + String.join("; ", uses) + ")");
            }
        });
        if (needsCekWrapKey() && keyset.cekWrapKey().isEmpty()) {
            problems.add("no " + KeysetLayout.CEK_WRAP_KEY + " (role: " + cekWrapRole + ")");
        }
        if (!problems.isEmpty()) {
            throw new KeysetException(String.join("; ", problems));
        }
    }

    private static void checkKeys(List<KeyInfo> keys, List<KeyRole> roles, String pemFile, String kind, List<String> problems) {
        if (roles.isEmpty()) {
            return;
        }
        if (keys.isEmpty()) {
            problems.add("no " + pemFile + " and no " + kind + " key in *" + KeysetLayout.JWKS_SUFFIX
                    + " (role: " + describe(roles) + ")");
            return;
        }
        for (KeyRole role : roles) {
            if (keys.stream().noneMatch(role::permittedBy)) {
                problems.add("no " + kind + " key may " + role.description() + " (the use, key_ops or alg of "
                        + keys.stream().map(KeyInfo::label).distinct().collect(Collectors.joining(", ")) + " exclude it)");
            }
        }
    }

    private String privateKeyFiles() {
        return layout.ownPrivateFile() + " or a private key in *" + KeysetLayout.JWKS_SUFFIX;
    }

    private String publicKeyFiles() {
        return layout.peerPublicFile() + " or a public key in *" + KeysetLayout.JWKS_SUFFIX;
    }

    private static String describe(List<KeyRole> roles) {
        return roles.stream().map(KeyRole::description).collect(Collectors.joining(", "));
    }

    private static KeyRole role(Purpose purpose, List<String> algorithms, String what) {
        return new KeyRole(purpose, List.copyOf(algorithms), what + " with " + String.join(" or ", algorithms));
    }

    private static Map<String, List<String>> secretsOf(ProviderProfile profile) {
        Map<String, List<String>> secrets = new LinkedHashMap<>();
        Credentials credentials = profile.credentials();
        switch (credentials.scheme()) {
            case NONE -> { }
            case BEARER -> use(secrets, credentials.secret(), "credentials bearer: secret");
            case JWT_HS256 -> {
                use(secrets, credentials.subjectSecret(), "credentials jwt-hs256: subjectSecret");
                use(secrets, credentials.hmacSecret(), "credentials jwt-hs256: hmacSecret");
            }
        }
        new TreeMap<>(profile.headersFromSecrets()).forEach((header, name) -> use(secrets, name, "header " + header));
        return secrets;
    }

    private static void use(Map<String, List<String>> secrets, String name, String use) {
        secrets.computeIfAbsent(name, n -> new ArrayList<>()).add(use);
    }

    @Override
    public String toString() {
        return "KeyRequirements" + describe();
    }
}
