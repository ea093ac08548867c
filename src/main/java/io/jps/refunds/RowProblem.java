package io.jps.refunds;

/**
 * Why a row of a refund file cannot be sent: where (line and field) and what was expected there. It never quotes
 * the value it found, which is payment data.
 *
 * @param field null when the problem is the row as a whole
 */
public record RowProblem(long line, String field, String expected) {

    @Override
    public String toString() {
        return "line " + line + (field == null ? "" : ", " + field) + ": " + expected;
    }
}
