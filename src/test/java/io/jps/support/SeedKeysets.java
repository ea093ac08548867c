package io.jps.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.UUID;

/**
 * Keysets laid out as each seed's provider hands them out, made with {@code openssl} and by hand, never by
 * {@code keys generate}: ours under {@link #keys()} and the provider's side, for the sandbox, under
 * {@link #sandboxKeys()}. Each file is what the provider's document says a merchant receives or makes.
 */
public final class SeedKeysets {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path keys;
    private final Path sandboxKeys;

    public SeedKeysets(Path root) {
        this.keys = root.resolve("keys");
        this.sandboxKeys = root.resolve("sandbox-keys");
    }

    public Path keys() {
        return keys;
    }

    public Path sandboxKeys() {
        return sandboxKeys;
    }

    /**
     * Juspay's dashboard zip: our private key in PKCS#1 ({@code BEGIN RSA PRIVATE KEY}) and Juspay's public key, with
     * the one key UUID the dashboard shows for the pair; the merchant id sent as {@code x-merchantid}.
     */
    public void juspay(String account) {
        Path ours = dir(keys, "juspay", account);
        Path theirs = dir(sandboxKeys, "juspay", account);
        OpenSsl.run(ours, "genrsa", "-traditional", "-out", "merchant-private.pem", "2048");
        OpenSsl.run(ours, "rsa", "-in", "merchant-private.pem", "-pubout", "-out", theirs.resolve("merchant-public.pem").toString());
        OpenSsl.run(theirs, "genrsa", "-traditional", "-out", "provider-private.pem", "2048");
        OpenSsl.run(theirs, "rsa", "-in", "provider-private.pem", "-pubout", "-out", ours.resolve("provider-public.pem").toString());
        String keyUuid = "key_" + hex(16);
        for (Path file : new Path[] {ours.resolve("merchant-private.kid"), ours.resolve("provider-public.kid"),
                theirs.resolve("merchant-public.kid"), theirs.resolve("provider-private.kid")}) {
            write(file, keyUuid + "\n");
        }
        String secrets = "merchant-id=merchant" + hex(3) + "\n";
        write(ours.resolve("secrets.properties"), secrets);
        write(theirs.resolve("secrets.properties"), secrets);
    }

    /**
     * Wise's public key exchange: we make a key pair and upload the public key (Wise names it by a key id), Wise's public
     * key comes back; the API token; our local key that wraps request content keys for {@code alg: dir} answers.
     */
    public void wise(String account) {
        Path ours = dir(keys, "wise", account);
        Path theirs = dir(sandboxKeys, "wise", account);
        OpenSsl.run(ours, "genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", "merchant-private.pem");
        OpenSsl.run(ours, "pkey", "-in", "merchant-private.pem", "-pubout", "-out", theirs.resolve("merchant-public.pem").toString());
        OpenSsl.run(theirs, "genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", "provider-private.pem");
        OpenSsl.run(theirs, "pkey", "-in", "provider-private.pem", "-pubout", "-out", ours.resolve("provider-public.pem").toString());
        String ourKeyId = UUID.randomUUID().toString();
        String wiseKeyId = UUID.randomUUID().toString();
        write(ours.resolve("merchant-private.kid"), ourKeyId + "\n");
        write(theirs.resolve("merchant-public.kid"), ourKeyId + "\n");
        write(ours.resolve("provider-public.kid"), wiseKeyId + "\n");
        write(theirs.resolve("provider-private.kid"), wiseKeyId + "\n");
        String secrets = "api-token=" + hex(24) + "\n";
        write(ours.resolve("secrets.properties"), secrets);
        write(theirs.resolve("secrets.properties"), secrets);
        write(ours.resolve("cek-wrap.key"), OpenSsl.run(ours, "rand", "-base64", "32"));
    }

    /**
     * Socure's X.509 certificate exchange, both ways: Socure's certificate (valid for {@code certificateDays}) and ours,
     * made from our private key, which a key custodian handed out as encrypted PKCS#8; its passphrase is read from the
     * environment variable {@code passphraseVariable}. No key ids: RiskOS has a single key pair per account.
     */
    public void socure(String account, int certificateDays, String passphrase, String passphraseVariable) {
        Path ours = dir(keys, "socure", account);
        Path theirs = dir(sandboxKeys, "socure", account);
        OpenSsl.run(ours, "genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-aes-256-cbc",
                "-pass", "pass:" + passphrase, "-out", "merchant-private.pem");
        OpenSsl.run(ours, "req", "-new", "-x509", "-key", "merchant-private.pem", "-passin", "pass:" + passphrase,
                "-subj", "/CN=merchant " + account, "-days", "365", "-out", theirs.resolve("merchant-public.pem").toString());
        OpenSsl.run(theirs, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "provider-private.pem",
                "-subj", "/CN=Socure RiskOS", "-days", Integer.toString(certificateDays),
                "-out", ours.resolve("provider-public.pem").toString());
        String apiKey = "api-key=" + hex(24) + "\n";
        write(ours.resolve("secrets.properties"), apiKey + "merchant-key-passphrase=env:" + passphraseVariable + "\n");
        write(theirs.resolve("secrets.properties"), apiKey);
    }

    /** PortOne's client key and HMAC secret, and nothing else: PortOne hands a merchant no RSA keys. */
    public void portone(String account) {
        String secrets = "client-key=" + hex(8) + "\nhmac-secret=" + hex(16) + "\n";
        write(dir(keys, "portone", account).resolve("secrets.properties"), secrets);
        write(dir(sandboxKeys, "portone", account).resolve("secrets.properties"), secrets);
    }

    private static Path dir(Path root, String provider, String account) {
        try {
            return Files.createDirectories(root.resolve(provider).resolve(account));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void write(Path file, String content) {
        try {
            Files.writeString(file, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String hex(int bytes) {
        byte[] random = new byte[bytes];
        RANDOM.nextBytes(random);
        return HexFormat.of().formatHex(random);
    }
}
