package io.jps.keys;

import io.jps.profile.Credentials;
import io.jps.profile.ProviderProfile;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Makes a fresh keyset for one provider and account ({@code keys/<provider>/<account>/}) and, beside it,
 * the provider's side of it for the sandbox ({@code sandbox-keys/<provider>/<account>/}): exactly the files
 * the profile uses ({@link KeyRequirements}): RSA-2048 key pairs and their ids where it signs or encrypts,
 * the account's secrets, and a wrapping key where it keeps content keys. A PortOne keyset is its
 * {@code secrets.properties} alone. Private files are readable by their owner only.
 */
public final class KeysetGenerator {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int RSA_BITS = 2048;

    private KeysetGenerator() {
    }

    /** What was written, for the command to report (paths and file names only). */
    public record Generated(Path keyset, List<String> files, Path sandboxKeyset, List<String> sandboxFiles) {
    }

    public static Generated generate(ProviderProfile profile, String account, Path keysRoot, Path sandboxRoot,
                                     boolean overwrite) throws IOException, GeneralSecurityException {
        Path ours = keysRoot.resolve(profile.name()).resolve(account);
        Path theirs = sandboxRoot.resolve(profile.name()).resolve(account);
        for (Path dir : new Path[] {ours, theirs}) {
            if (!overwrite && Files.isDirectory(dir)) {
                try (var files = Files.list(dir)) {
                    if (files.findAny().isPresent()) {
                        throw new FileAlreadyExistsException(dir + " already holds a keyset (use --force to replace it)");
                    }
                }
            }
            createPrivateDirectory(dir);
        }
        KeyRequirements required = KeyRequirements.of(profile);
        List<Path> written = new ArrayList<>();
        // Juspay issues one "key UUID" per JWT key set: both key pairs, and both headers, carry the same id.
        boolean juspay = profile.name().startsWith("juspay");
        String merchantKid = juspay ? "key_" + HexFormat.of().formatHex(randomBytes(16)) : UUID.randomUUID().toString();
        String providerKid = juspay ? merchantKid : UUID.randomUUID().toString();
        // The two sides mirror each other: our private key is the public key the provider holds, and the reverse.
        if (required.needsPrivateKey()) {
            KeyPair merchant = newKeyPair();
            writePrivate(written, ours.resolve(KeysetLayout.MERCHANT.ownPrivateFile()), pem(merchant.getPrivate()));
            writePublic(written, ours.resolve(KeysetLayout.MERCHANT.ownPrivate() + ".kid"), merchantKid + "\n");
            writePublic(written, theirs.resolve(KeysetLayout.SANDBOX.peerPublicFile()), pem(merchant.getPublic()));
            writePublic(written, theirs.resolve(KeysetLayout.SANDBOX.peerPublic() + ".kid"), merchantKid + "\n");
        }
        if (required.needsPublicKey()) {
            KeyPair provider = newKeyPair();
            // Some providers hand out a certificate rather than a bare key (Socure's "X.509 certificate exchange").
            Object providerPublic = profile.name().startsWith("socure") ? selfSignedCertificate(provider, profile.name())
                    : provider.getPublic();
            writePublic(written, ours.resolve(KeysetLayout.MERCHANT.peerPublicFile()), pem(providerPublic));
            writePublic(written, ours.resolve(KeysetLayout.MERCHANT.peerPublic() + ".kid"), providerKid + "\n");
            writePrivate(written, theirs.resolve(KeysetLayout.SANDBOX.ownPrivateFile()), pem(provider.getPrivate()));
            writePublic(written, theirs.resolve(KeysetLayout.SANDBOX.ownPrivate() + ".kid"), providerKid + "\n");
        }
        String secrets = secretsFor(profile);
        if (!secrets.isEmpty()) {
            writePrivate(written, ours.resolve(Secrets.FILE), secrets);
            writePrivate(written, theirs.resolve(Secrets.FILE), secrets);
        }
        if (required.needsCekWrapKey()) {
            writePrivate(written, ours.resolve(KeysetLayout.CEK_WRAP_KEY), Base64.getEncoder().encodeToString(randomBytes(32)) + "\n");
        }
        return new Generated(ours, namesIn(written, ours), theirs, namesIn(written, theirs));
    }

    private static KeyPair newKeyPair() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(RSA_BITS, RANDOM);
        return generator.generateKeyPair();
    }

    /** The files of {@code dir} that this run wrote (with --force, older ones may remain beside them). */
    private static List<String> namesIn(List<Path> written, Path dir) {
        return written.stream().filter(file -> file.getParent().equals(dir))
                .map(file -> file.getFileName().toString()).sorted().toList();
    }

    /** Identifiers sent as headers get readable values; credentials get 256 random bits. */
    private static String secretsFor(ProviderProfile profile) {
        Map<String, String> values = new LinkedHashMap<>();
        profile.headersFromSecrets().values().forEach(name -> values.put(name, name + "-" + HexFormat.of().formatHex(randomBytes(6))));
        Credentials credentials = profile.credentials();
        for (String name : new String[] {credentials.secret(), credentials.hmacSecret()}) {
            if (name != null) {
                values.put(name, Base64.getUrlEncoder().withoutPadding().encodeToString(randomBytes(32)));
            }
        }
        if (credentials.subjectSecret() != null) {
            values.putIfAbsent(credentials.subjectSecret(), HexFormat.of().formatHex(randomBytes(8)));
        }
        StringBuilder file = new StringBuilder("# Credentials and identifiers of this account; a value may be env:NAME.\n");
        values.forEach((name, value) -> file.append(name).append('=').append(value).append('\n'));
        return values.isEmpty() ? "" : file.toString();
    }

    private static X509CertificateHolder selfSignedCertificate(KeyPair pair, String provider) throws GeneralSecurityException {
        X500Name name = new X500Name("CN=" + provider + " sandbox");
        Instant now = Instant.now();
        try {
            return new JcaX509v3CertificateBuilder(name, new BigInteger(64, RANDOM), Date.from(now.minus(Duration.ofDays(1))),
                    Date.from(now.plus(Duration.ofDays(3650))), name, pair.getPublic())
                    .build(new JcaContentSignerBuilder("SHA256withRSA").build(pair.getPrivate()));
        } catch (OperatorCreationException e) {
            throw new GeneralSecurityException("cannot sign the sandbox certificate", e);
        }
    }

    private static String pem(Object object) {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            writer.writeObject(object);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    private static byte[] randomBytes(int n) {
        byte[] bytes = new byte[n];
        RANDOM.nextBytes(bytes);
        return bytes;
    }

    private static void createPrivateDirectory(Path dir) throws IOException {
        Files.createDirectories(dir);
        setPermissions(dir, "rwx------");
    }

    private static void writePrivate(List<Path> written, Path file, String content) throws IOException {
        Files.writeString(file, content, StandardCharsets.UTF_8);
        setPermissions(file, "rw-------");
        written.add(file);
    }

    private static void writePublic(List<Path> written, Path file, String content) throws IOException {
        Files.writeString(file, content, StandardCharsets.UTF_8);
        written.add(file);
    }

    private static void setPermissions(Path path, String permissions) throws IOException {
        try {
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(permissions));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system (Windows): its ACLs are the user's to set
        }
    }
}
