package io.jps.profile;

/**
 * TLS towards one provider, beyond the JVM's defaults. Files are PEM; relative paths are read from the working
 * directory, as {@code --keys} is.
 *
 * @param trustStore        the CA certificates that may sign the provider's server certificate (a PEM bundle); null
 *                          trusts the JVM's default CAs
 * @param clientCertificate our client certificate (and its chain) for mutual TLS; null sends none
 * @param clientKey         the private key of {@code clientCertificate} (PKCS#8 or PKCS#1, unencrypted)
 */
public record ProviderTls(String trustStore, String clientCertificate, String clientKey) {

    public static final ProviderTls JVM_DEFAULTS = new ProviderTls(null, null, null);

    public boolean mutual() {
        return clientCertificate != null;
    }

    public boolean isDefault() {
        return trustStore == null && clientCertificate == null && clientKey == null;
    }
}
