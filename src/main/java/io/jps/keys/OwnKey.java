package io.jps.keys;

import com.nimbusds.jose.crypto.RSADecrypter;
import com.nimbusds.jose.crypto.RSASSASigner;

/**
 * One of our own private keys (on the sandbox side: the provider's). It signs what we send and decrypts
 * what is sent to us. The Nimbus signer and decrypter are built once and shared: they are thread-safe.
 */
public final class OwnKey {

    private final KeyInfo info;
    private final RSASSASigner signer;
    private final RSADecrypter decrypter;

    OwnKey(KeyInfo info, RSASSASigner signer, RSADecrypter decrypter) {
        this.info = info;
        this.signer = signer;
        this.decrypter = decrypter;
    }

    public KeyInfo info() {
        return info;
    }

    public String kid() {
        return info.kid();
    }

    public RSASSASigner signer() {
        return signer;
    }

    public RSADecrypter decrypter() {
        return decrypter;
    }

    @Override
    public String toString() {
        return "OwnKey[" + info + "]";
    }
}
