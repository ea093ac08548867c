package io.jps.profile;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** Which key's id goes into a header's {@code kid}. */
public enum KidSource {
    /** Our key's id (Juspay puts its "key UUID" of the merchant key pair in both headers). */
    MERCHANT,
    /** The provider's public key id. */
    PROVIDER,
    /** No {@code kid} header. */
    NONE;

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static KidSource fromWireName(String name) {
        return valueOf(name.trim().toUpperCase(Locale.ROOT));
    }
}
