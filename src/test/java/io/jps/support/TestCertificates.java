package io.jps.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** Certificate authorities and the certificates they issue, made in the test and written as PEM files. */
public final class TestCertificates {

    private static final AtomicLong SERIALS = new AtomicLong(System.currentTimeMillis());

    private TestCertificates() {
    }

    /** A certificate with its key, and the PEM files they were written to. */
    public record Issued(X509Certificate certificate, KeyPair keys, Path certificateFile, Path keyFile) {
    }

    /** A CA: its own certificate and the key it signs with. */
    public static final class Authority {
        private final String name;
        private final Issued self;

        private Authority(String name, Issued self) {
            this.name = name;
            this.self = self;
        }

        public Path certificateFile() {
            return self.certificateFile();
        }

        /** A server certificate for 127.0.0.1. */
        public Issued server(Path dir, String name) {
            return issue(dir, name, KeyPurposeId.id_kp_serverAuth, true);
        }

        public Issued client(Path dir, String name) {
            return issue(dir, name, KeyPurposeId.id_kp_clientAuth, false);
        }

        private Issued issue(Path dir, String subject, KeyPurposeId purpose, boolean loopbackName) {
            KeyPair keys = keyPair();
            try {
                X509v3CertificateBuilder builder = builder(new X500Name("CN=" + this.name), new X500Name("CN=" + subject), keys)
                        .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                        .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
                        .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purpose));
                if (loopbackName) {
                    builder.addExtension(Extension.subjectAlternativeName, false,
                            new GeneralNames(new GeneralName(GeneralName.iPAddress, "127.0.0.1")));
                }
                return written(dir, subject, sign(builder, self.keys()), keys);
            } catch (CertIOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    public static Authority authority(Path dir, String name) {
        KeyPair keys = keyPair();
        try {
            X509v3CertificateBuilder builder = builder(new X500Name("CN=" + name), new X500Name("CN=" + name), keys)
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            return new Authority(name, written(dir, name, sign(builder, keys), keys));
        } catch (CertIOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static X509v3CertificateBuilder builder(X500Name issuer, X500Name subject, KeyPair keys) {
        Instant now = Instant.now();
        return new JcaX509v3CertificateBuilder(issuer, BigInteger.valueOf(SERIALS.incrementAndGet()),
                Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(2))), subject, keys.getPublic());
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, KeyPair issuer) {
        try {
            return new JcaX509CertificateConverter().getCertificate(builder.build(
                    new JcaContentSignerBuilder("SHA256withECDSA").build(issuer.getPrivate())));
        } catch (OperatorCreationException | GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static KeyPair keyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Issued written(Path dir, String name, X509Certificate certificate, KeyPair keys) {
        try {
            Files.createDirectories(dir);
            Path certificateFile = dir.resolve(name + ".crt.pem");
            Path keyFile = dir.resolve(name + ".key.pem");
            try (Writer out = Files.newBufferedWriter(certificateFile); JcaPEMWriter pem = new JcaPEMWriter(out)) {
                pem.writeObject(certificate);
            }
            try (Writer out = Files.newBufferedWriter(keyFile); JcaPEMWriter pem = new JcaPEMWriter(out)) {
                pem.writeObject(new org.bouncycastle.openssl.jcajce.JcaPKCS8Generator(keys.getPrivate(), null));
            }
            return new Issued(certificate, keys, certificateFile, keyFile);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
