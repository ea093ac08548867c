package io.jps.refunds;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;

/**
 * The requestId of one refund: {@code refund-} and 32 hex digits, the first 128 bits of SHA-256 over provider,
 * account and what makes the row that refund (see {@link RefundRules#idempotencyMaterial}). The same row of the
 * same provider and account always gets the same id, so the seal stage refuses a resubmitted row as
 * {@code DUPLICATE_REQUEST} instead of paying it twice; the same row for another account is another refund.
 * 128 bits keep a collision out of reach however many refunds there are, and fit two longs in memory.
 */
public record RefundId(long high, long low) implements Comparable<RefundId> {

    public static final String PREFIX = "refund-";
    private static final int HEX_DIGITS = 32;
    private static final HexFormat HEX = HexFormat.of();

    public static RefundId derive(String provider, String account, String idempotencyMaterial) {
        MessageDigest sha256;
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
        // Each part with its length, so that no choice of names can make two different triples spell the same input.
        for (String part : new String[] {"jps-refund", provider, account, idempotencyMaterial}) {
            byte[] bytes = part.getBytes(StandardCharsets.UTF_8);
            sha256.update(ByteBuffer.allocate(Integer.BYTES).putInt(bytes.length).array());
            sha256.update(bytes);
        }
        ByteBuffer digest = ByteBuffer.wrap(sha256.digest());
        return new RefundId(digest.getLong(), digest.getLong());
    }

    /** Empty for anything that is not a refund requestId (most of what a shared topic holds). */
    public static Optional<RefundId> parse(String requestId) {
        if (requestId == null || requestId.length() != PREFIX.length() + HEX_DIGITS || !requestId.startsWith(PREFIX)) {
            return Optional.empty();
        }
        String digits = requestId.substring(PREFIX.length());
        for (int i = 0; i < digits.length(); i++) {
            if (Character.digit(digits.charAt(i), 16) < 0 || Character.isUpperCase(digits.charAt(i))) {
                return Optional.empty();
            }
        }
        return Optional.of(new RefundId(HexFormat.fromHexDigitsToLong(digits, 0, 16), HexFormat.fromHexDigitsToLong(digits, 16, 32)));
    }

    public String requestId() {
        return PREFIX + HEX.toHexDigits(high) + HEX.toHexDigits(low);
    }

    @Override
    public int compareTo(RefundId other) {
        int byHigh = Long.compare(high, other.high);
        return byHigh != 0 ? byHigh : Long.compare(low, other.low);
    }

    @Override
    public String toString() {
        return requestId();
    }
}
