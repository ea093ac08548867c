package io.jps.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * This machine's raw RSA-2048 private-key rate: the ceiling every seal (one signature) and every open (one
 * decryption) runs into. {@code openssl speed rsa2048} sign/s where openssl exists; otherwise the JDK's
 * own SHA256withRSA, measured the same way as the pipeline.
 */
final class RawRsaSpeed {

    /** "rsa 2048 bits 0.000219s 0.000013s   4566.2  77294.0": the first rate is sign/s. */
    private static final Pattern OPENSSL_LINE =
            Pattern.compile("rsa\\s+2048\\s+bits\\s+\\S+s\\s+\\S+s\\s+([0-9.]+)\\s+([0-9.]+)");

    record Rate(double signsPerSecond, String source) {
    }

    private RawRsaSpeed() {
    }

    static Optional<Rate> openssl(int threads, int seconds) {
        ProcessBuilder command = threads > 1
                ? new ProcessBuilder("openssl", "speed", "-multi", String.valueOf(threads), "-seconds", String.valueOf(seconds), "rsa2048")
                : new ProcessBuilder("openssl", "speed", "-seconds", String.valueOf(seconds), "rsa2048");
        try {
            Process process = command.redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(seconds * 10L + 30, TimeUnit.SECONDS) || process.exitValue() != 0) {
                return Optional.empty();
            }
            Matcher matcher = OPENSSL_LINE.matcher(output);
            Double rate = null;
            while (matcher.find()) {
                rate = Double.parseDouble(matcher.group(1));
            }
            return Optional.ofNullable(rate).map(r -> new Rate(r, String.join(" ", command.command())));
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    static Rate jdk(int threads, Measurement measurement) throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair pair = generator.generateKeyPair();
        byte[] data = new byte[64];
        double rate = measurement.run(threads, () -> {
            Signature signature = Signature.getInstance("SHA256withRSA");
            signature.initSign(pair.getPrivate());
            signature.update(data);
            signature.sign();
        });
        return new Rate(rate, "JDK SHA256withRSA sign, " + threads + " thread(s)");
    }
}
