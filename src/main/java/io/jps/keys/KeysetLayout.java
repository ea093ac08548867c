package io.jps.keys;

/**
 * The file names of a keyset directory. Ours ({@code keys/}) holds our private key and the provider's
 * public key; the sandbox's ({@code sandbox-keys/}) holds the mirror image. Both are read by one loader.
 *
 * @param ownPrivate       base name of the private key file ({@code .pem}, with an optional {@code .kid} beside it)
 * @param peerPublic       base name of the other side's public key or certificate file
 * @param passphraseSecret the name in {@code secrets.properties} of the passphrase of an encrypted private key file
 * @param providerSide     whether this is the provider's side of the exchange (the sandbox): it opens requests and
 *                         seals answers, so its keys serve the profile's roles mirrored
 */
public record KeysetLayout(String ownPrivate, String peerPublic, String passphraseSecret, boolean providerSide) {

    public static final KeysetLayout MERCHANT =
            new KeysetLayout("merchant-private", "provider-public", "merchant-key-passphrase", false);
    public static final KeysetLayout SANDBOX =
            new KeysetLayout("provider-private", "merchant-public", "provider-key-passphrase", true);

    public static final String PEM_SUFFIX = ".pem";
    public static final String JWKS_SUFFIX = ".jwks.json";
    public static final String CEK_WRAP_KEY = "cek-wrap.key";

    public String ownPrivateFile() {
        return ownPrivate + PEM_SUFFIX;
    }

    public String peerPublicFile() {
        return peerPublic + PEM_SUFFIX;
    }
}
