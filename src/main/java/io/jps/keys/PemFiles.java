package io.jps.keys;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

/**
 * Reads RSA keys from PEM: private keys in PKCS#1 ({@code BEGIN RSA PRIVATE KEY}, as Juspay hands them out)
 * or PKCS#8, public keys as SubjectPublicKeyInfo or inside an X.509 certificate. Errors name the file only:
 * a parser's own message could quote the bytes it choked on.
 */
final class PemFiles {

    static final int MIN_RSA_BITS = 2048;

    private PemFiles() {
    }

    static RSAPrivateKey readPrivateKey(Path file, CryptoBackend backend) throws KeysetException {
        List<Object> objects = readAll(file);
        for (Object object : objects) {
            PrivateKeyInfo info = null;
            if (object instanceof PEMKeyPair pair) {
                info = pair.getPrivateKeyInfo();
            } else if (object instanceof PrivateKeyInfo pkcs8) {
                info = pkcs8;
            } else if (object instanceof PEMEncryptedKeyPair || object instanceof PKCS8EncryptedPrivateKeyInfo) {
                throw new KeysetException(file.getFileName() + ": the private key is password-protected; "
                        + "store it unencrypted with restricted file permissions");
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

    static RSAPublicKey readPublicKey(Path file, CryptoBackend backend) throws KeysetException {
        List<Object> objects = readAll(file);
        for (Object object : objects) {
            SubjectPublicKeyInfo info = null;
            if (object instanceof SubjectPublicKeyInfo spki) {
                info = spki;
            } else if (object instanceof X509CertificateHolder certificate) {
                info = certificate.getSubjectPublicKeyInfo();
            } else if (object instanceof PEMKeyPair || object instanceof PrivateKeyInfo) {
                throw new KeysetException(file.getFileName() + ": holds a private key where a public key or certificate belongs");
            }
            if (info != null) {
                try {
                    RSAPublicKey key = backend.rsaPublicKey(info.getEncoded());
                    checkSize(file, key.getModulus().bitLength());
                    return key;
                } catch (IOException | GeneralSecurityException | ClassCastException e) {
                    throw new KeysetException(file.getFileName() + ": not an RSA public key (" + e.getClass().getSimpleName() + ")");
                }
            }
        }
        throw new KeysetException(file.getFileName() + ": holds no public key (expected BEGIN PUBLIC KEY or BEGIN CERTIFICATE)");
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
