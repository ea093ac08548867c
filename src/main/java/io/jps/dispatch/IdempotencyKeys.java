package io.jps.dispatch;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * The idempotency key of a request: derived from provider, account and requestId only, so that every
 * attempt and every redelivery of the same request carries the same key and a provider that honours it
 * performs the payment once.
 */
public final class IdempotencyKeys {

    private IdempotencyKeys() {
    }

    public static String of(String provider, String account, String requestId) {
        return UUID.nameUUIDFromBytes((provider + "/" + account + "/" + requestId).getBytes(StandardCharsets.UTF_8)).toString();
    }
}
