package io.jps.refunds;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One row of a refund file: the payload fields of the provider's {@code refund} operation, and the two columns that
 * are not payload, {@code account} and {@code key} (null when the row leaves them out).
 *
 * @param line the file's line number where the row starts (1 is a CSV file's header)
 */
public record RefundRow(long line, String account, String key, ObjectNode payload) {

    @Override
    public String toString() {
        // The payload is payment data: it stays out of logs and messages.
        return "RefundRow[line=" + line + ", account=" + account + "]";
    }
}
