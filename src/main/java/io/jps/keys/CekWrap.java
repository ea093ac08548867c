package io.jps.keys;

import com.nimbusds.jose.util.Base64URL;
import java.security.GeneralSecurityException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;

/**
 * AES key wrap (RFC 3394) of a request's content key under the keyset's local {@code cek-wrap.key}, so the key
 * can be remembered with the sent request to open a Wise {@code alg: dir} answer, and is never stored in clear.
 */
public final class CekWrap {

    private CekWrap() {
    }

    public static String wrap(SecretKey wrapKey, SecretKey contentKey) throws GeneralSecurityException {
        Cipher cipher = Cipher.getInstance("AESWrap");
        cipher.init(Cipher.WRAP_MODE, wrapKey);
        return Base64URL.encode(cipher.wrap(contentKey)).toString();
    }

    public static SecretKey unwrap(SecretKey wrapKey, String wrapped) throws GeneralSecurityException {
        byte[] bytes;
        try {
            bytes = new Base64URL(wrapped).decode();
        } catch (RuntimeException e) {
            throw new GeneralSecurityException("wrapped content key is not base64url");
        }
        Cipher cipher = Cipher.getInstance("AESWrap");
        cipher.init(Cipher.UNWRAP_MODE, wrapKey);
        return (SecretKey) cipher.unwrap(bytes, "AES", Cipher.SECRET_KEY);
    }
}
