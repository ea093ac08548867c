package io.jps.dispatch;

import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.util.Locale;
import java.util.Set;
import javax.net.ssl.SSLException;

/**
 * Says which side of a TLS handshake gave up, in words an operator can act on: the provider's certificate is not
 * one our trust store vouches for, or the provider refused our client certificate (or its absence). The JDK's
 * own messages can quote certificate subjects; only our words and the exception's class are kept.
 */
final class TlsFailure {

    /** TLS alerts a server sends when it does not accept the client's certificate, or got none. */
    private static final Set<String> CLIENT_CERTIFICATE_ALERTS = Set.of("certificate_required", "bad_certificate",
            "unknown_ca", "certificate_unknown", "certificate_expired", "certificate_revoked", "unsupported_certificate",
            "access_denied");

    private TlsFailure() {
    }

    static String describe(String provider, SSLException failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof CertPathBuilderException || cause instanceof CertPathValidatorException
                    || cause instanceof CertificateException) {
                return "TLS: the provider's server certificate is not trusted (providers." + provider + ".tls.trustStore)";
            }
            String message = String.valueOf(cause.getMessage()).toLowerCase(Locale.ROOT);
            if (message.contains("received fatal alert") && CLIENT_CERTIFICATE_ALERTS.stream().anyMatch(message::contains)) {
                return "TLS: the provider refused our client certificate, or that none was sent (providers." + provider
                        + ".tls.clientCertificate)";
            }
        }
        return "TLS: the handshake with the provider failed (" + failure.getClass().getName() + ")";
    }
}
