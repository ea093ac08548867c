package io.jps.keys;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Provider;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8DecryptorProviderBuilder;
import org.bouncycastle.operator.InputDecryptorProvider;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;
import org.bouncycastle.pkcs.PKCSException;

/**
 * Reads RSA keys from PEM: private keys in PKCS#1 ({@code BEGIN RSA PRIVATE KEY}, as Juspay hands them out),
 * PKCS#8, or encrypted PKCS#8 ({@code BEGIN ENCRYPTED PRIVATE KEY}, as key custodians hand them out); public
 * keys as SubjectPublicKeyInfo or inside an X.509 certificate. Errors name the file only: a parser's own
 * message could quote the bytes it choked on, and nothing here ever names a passphrase's value.
 */
final class PemFiles {

    static final int MIN_RSA_BITS = 2048;
    /**
     * Decrypts encrypted PKCS#8 only, without being installed: BouncyCastle names the PBES2 ciphers in ways the JDK's
     * providers do not know ({@code AES/CBC/PKCS7Padding}).
     */
    private static final Provider PKCS8_DECRYPTION = new BouncyCastleProvider();

    private PemFiles() {
    }

    /** A public key, and the {@code notAfter} of the certificate it came in (null for a bare key). */
    record PublicKeyPem(RSAPublicKey key, Instant certificateNotAfter) {
    }

    /**
     * @param passphraseName the name in {@code secrets.properties} of the passphrase, for messages
     * @param passphrase     its value, when the keyset has one
     */
    static RSAPrivateKey readPrivateKey(Path file, CryptoBackend backend, String passphraseName, Optional<String> passphrase)
            throws KeysetException {
        List<Object> objects = readAll(file);
        for (Object object : objects) {
            PrivateKeyInfo info = null;
            if (object instanceof PEMKeyPair pair) {
                info = pair.getPrivateKeyInfo();
            } else if (object instanceof PrivateKeyInfo pkcs8) {
                info = pkcs8;
            } else if (object instanceof PKCS8EncryptedPrivateKeyInfo encrypted) {
                info = decrypt(file, encrypted, passphraseName, passphrase);
            } else if (object instanceof PEMEncryptedKeyPair) {
                throw new KeysetException(file.getFileName() + ": the private key is encrypted in OpenSSL's legacy form "
                        + "(Proc-Type: 4,ENCRYPTED); convert it to encrypted PKCS#8 (openssl pkcs8 -topk8 -v2 aes-256-cbc)");
            }
            if (info != null) {
                try {
                    RSAPrivateKey key = backend.rsaPrivateKey(info.getEncoded());
                    checkSize(file, key.getModulus().bitLength());
                    return key;
                } catch (IOException | GeneralSecurityException | ClassCastException e) {
                    throw new KeysetException(file.getFileName() + ": not an RSA private key (" + e.getClass().getSimpleName() + ")");
                }
            }
        }
        throw new KeysetException(file.getFileName() + ": holds no private key (expected BEGIN RSA PRIVATE KEY or BEGIN PRIVATE KEY)");
    }

    static PublicKeyPem readPublicKey(Path file, CryptoBackend backend) throws KeysetException {
        List<Object> objects = readAll(file);
        for (Object object : objects) {
            SubjectPublicKeyInfo info = null;
            Instant notAfter = null;
            if (object instanceof SubjectPublicKeyInfo spki) {
                info = spki;
            } else if (object instanceof X509CertificateHolder certificate) {
                info = certificate.getSubjectPublicKeyInfo();
                notAfter = certificate.getNotAfter().toInstant();
            } else if (object instanceof PEMKeyPair || object instanceof PrivateKeyInfo) {
                throw new KeysetException(file.getFileName() + ": holds a private key where a public key or certificate belongs");
            }
            if (info != null) {
                try {
                    RSAPublicKey key = backend.rsaPublicKey(info.getEncoded());
                    checkSize(file, key.getModulus().bitLength());
                    return new PublicKeyPem(key, notAfter);
                } catch (IOException | GeneralSecurityException | ClassCastException e) {
                    throw new KeysetException(file.getFileName() + ": not an RSA public key (" + e.getClass().getSimpleName() + ")");
                }
            }
        }
        throw new KeysetException(file.getFileName() + ": holds no public key (expected BEGIN PUBLIC KEY or BEGIN CERTIFICATE)");
    }

    private static PrivateKeyInfo decrypt(Path file, PKCS8EncryptedPrivateKeyInfo encrypted, String passphraseName,
                                          Optional<String> passphrase) throws KeysetException {
        if (passphrase.isEmpty()) {
            throw new KeysetException(file.getFileName() + ": the private key is encrypted (BEGIN ENCRYPTED PRIVATE KEY) and "
                    + Secrets.FILE + " has no '" + passphraseName + "' (its passphrase; a value may be env:NAME)");
        }
        try {
            InputDecryptorProvider decryptor = new JceOpenSSLPKCS8DecryptorProviderBuilder().setProvider(PKCS8_DECRYPTION)
                    .build(passphrase.get().toCharArray());
            return encrypted.decryptPrivateKeyInfo(decryptor);
        } catch (OperatorCreationException | PKCSException | RuntimeException e) {
            throw new KeysetException(file.getFileName() + ": '" + passphraseName + "' of " + Secrets.FILE
                    + " does not decrypt the private key (wrong passphrase or unsupported encryption, "
                    + e.getClass().getSimpleName() + ")");
        }
    }

    private static void checkSize(Path file, int bits) throws KeysetException {
        if (bits < MIN_RSA_BITS) {
            throw new KeysetException(file.getFileName() + ": RSA key of " + bits + " bits; at least " + MIN_RSA_BITS + " are required");
        }
    }

    private static List<Object> readAll(Path file) throws KeysetException {
        List<Object> objects = new ArrayList<>();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.US_ASCII);
             PEMParser parser = new PEMParser(reader)) {
            for (Object object = parser.readObject(); object != null; object = parser.readObject()) {
                objects.add(object);
            }
        } catch (IOException | RuntimeException e) {
            throw new KeysetException(file.getFileName() + ": not readable as PEM (" + e.getClass().getSimpleName() + ")");
        }
        if (objects.isEmpty()) {
            throw new KeysetException(file.getFileName() + ": no PEM block found");
        }
        return objects;
    }
}
