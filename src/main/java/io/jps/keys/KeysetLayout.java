package io.jps.keys;

/**
 * The file names of a keyset directory. Ours ({@code keys/}) holds our private key and the provider's
 * public key; the sandbox's ({@code sandbox-keys/}) holds the mirror image. Both are read by one loader.
 *
 * @param ownPrivate base name of the private key file ({@code .pem}, with an optional {@code .kid} beside it)
 * @param peerPublic base name of the other side's public key or certificate file
 */
public record KeysetLayout(String ownPrivate, String peerPublic) {

    public static final KeysetLayout MERCHANT = new KeysetLayout("merchant-private", "provider-public");
    public static final KeysetLayout SANDBOX = new KeysetLayout("provider-private", "merchant-public");

    public static final String JWKS_SUFFIX = ".jwks.json";
    public static final String CEK_WRAP_KEY = "cek-wrap.key";
}
