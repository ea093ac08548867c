package io.jps.profile;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** How a sealed token travels in an HTTP body. */
public enum WireForm {
    /** The compact serialization is the whole body (Wise, {@code application/jose+json}). */
    COMPACT("compact"),
    /** Juspay's JSON object of the five JWE parts: {@code header, encryptedKey, iv, encryptedPayload, tag}. */
    JUSPAY_FIELDS("juspay-fields"),
    /** Juspay's alternative, {@code {"JWT": "<compact>"}}. */
    JUSPAY_JWT("juspay-jwt"),
    /** A JSON object with the compact token under one named field (Socure's {@code encrypted_request}). */
    ENVELOPE("envelope"),
    /** Plain JSON, nothing sealed (PortOne: authentication travels in a header). */
    JSON("json");

    private final String wireName;

    WireForm(String wireName) {
        this.wireName = wireName;
    }

    @JsonValue
    public String wireName() {
        return wireName;
    }

    @JsonCreator
    public static WireForm fromWireName(String name) {
        String wanted = name.trim().toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(f -> f.wireName.equals(wanted)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("'" + name + "' is not a wire form (one of "
                        + Arrays.stream(values()).map(WireForm::wireName).collect(Collectors.joining(", ")) + ")"));
    }

    public boolean isSealed() {
        return this != JSON;
    }
}
