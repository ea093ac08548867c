package io.jps.keys;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

/**
 * TLS contexts from PEM files: the CA certificates to trust (a bundle), and a certificate chain with its private
 * key to present (RSA or EC; PKCS#8 or the traditional {@code BEGIN RSA/EC PRIVATE KEY}). Errors name the file
 * only, never its content.
 */
public final class TlsMaterial {

    private static final char[] NO_PASSWORD = new char[0];

    private TlsMaterial() {
    }

    /** Which of the three files a failure is about. */
    public enum Part { TRUSTED_CAS, CERTIFICATE_CHAIN, PRIVATE_KEY }

    /** A file could not be used; the message names it and says why. */
    public static final class Unusable extends Exception {
        private final Part part;

        Unusable(Part part, String message) {
            super(message, null, false, false);
            this.part = part;
        }

        public Part part() {
            return part;
        }
    }

    /**
     * @param trustedCas       PEM bundle of the CAs whose certificates the peer may present; null: the JVM's default CAs
     * @param certificateChain PEM certificate (and intermediates) to present; null: present none
     * @param privateKey       the private key of {@code certificateChain}'s first certificate
     */
    public static SSLContext context(Path trustedCas, Path certificateChain, Path privateKey) throws Unusable {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(certificateChain == null ? null : keyManagers(certificateChain, privateKey),
                    trustedCas == null ? null : trustManagers(trustedCas), null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new Unusable(certificateChain == null ? Part.TRUSTED_CAS : Part.PRIVATE_KEY,
                    "cannot build a TLS context from these files (" + e.getClass().getSimpleName() + ")");
        }
    }

    private static TrustManager[] trustManagers(Path bundle) throws Unusable, GeneralSecurityException {
        Collection<? extends Certificate> cas = certificates(bundle, Part.TRUSTED_CAS);
        KeyStore store = emptyStore();
        int i = 0;
        for (Certificate ca : cas) {
            store.setCertificateEntry("ca-" + i++, ca);
        }
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(store);
        return factory.getTrustManagers();
    }

    private static KeyManager[] keyManagers(Path chainFile, Path keyFile) throws Unusable, GeneralSecurityException {
        Certificate[] chain = certificates(chainFile, Part.CERTIFICATE_CHAIN).toArray(Certificate[]::new);
        KeyStore store = emptyStore();
        store.setKeyEntry("own", privateKey(keyFile), NO_PASSWORD, chain);
        KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        factory.init(store, NO_PASSWORD);
        return factory.getKeyManagers();
    }

    private static Collection<? extends Certificate> certificates(Path file, Part part) throws Unusable {
        try (InputStream in = Files.newInputStream(file)) {
            Collection<? extends Certificate> certificates = CertificateFactory.getInstance("X.509").generateCertificates(in);
            if (certificates.isEmpty()) {
                throw new Unusable(part, file + ": holds no certificate (expected BEGIN CERTIFICATE)");
            }
            return certificates;
        } catch (IOException e) {
            throw new Unusable(part, file + ": cannot be read (" + e.getClass().getSimpleName() + ")");
        } catch (GeneralSecurityException e) {
            throw new Unusable(part, file + ": not PEM X.509 certificates (" + e.getClass().getSimpleName() + ")");
        }
    }

    private static PrivateKey privateKey(Path file) throws Unusable {
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.US_ASCII); PEMParser parser = new PEMParser(reader)) {
            JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
            for (Object object = parser.readObject(); object != null; object = parser.readObject()) {
                if (object instanceof PEMKeyPair pair) {
                    return converter.getKeyPair(pair).getPrivate();
                }
                if (object instanceof PrivateKeyInfo info) {
                    return converter.getPrivateKey(info);
                }
            }
        } catch (IOException | RuntimeException e) {
            throw new Unusable(Part.PRIVATE_KEY, file + ": not a readable PEM private key (" + e.getClass().getSimpleName() + ")");
        }
        throw new Unusable(Part.PRIVATE_KEY, file + ": holds no unencrypted private key (expected BEGIN PRIVATE KEY, RSA PRIVATE KEY or EC PRIVATE KEY)");
    }

    private static KeyStore emptyStore() throws GeneralSecurityException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try {
            store.load(null, null);
        } catch (IOException e) {
            throw new GeneralSecurityException("an empty key store cannot be made", e);
        }
        return store;
    }
}
