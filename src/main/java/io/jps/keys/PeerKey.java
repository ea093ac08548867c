package io.jps.keys;

import com.nimbusds.jose.crypto.RSASSAVerifier;
import java.security.interfaces.RSAPublicKey;

/** A public key of the other side: what we encrypt to, and what verifies what they sign. */
public final class PeerKey {

    private final KeyInfo info;
    private final RSAPublicKey publicKey;
    private final RSASSAVerifier verifier;

    PeerKey(KeyInfo info, RSAPublicKey publicKey, RSASSAVerifier verifier) {
        this.info = info;
        this.publicKey = publicKey;
        this.verifier = verifier;
    }

    public KeyInfo info() {
        return info;
    }

    public String kid() {
        return info.kid();
    }

    public RSAPublicKey publicKey() {
        return publicKey;
    }

    public RSASSAVerifier verifier() {
        return verifier;
    }

    @Override
    public String toString() {
        return "PeerKey[" + info + "]";
    }
}
