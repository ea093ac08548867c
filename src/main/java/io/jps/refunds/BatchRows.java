package io.jps.refunds;

import io.jps.record.Json;
import io.jps.record.PaymentRequest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

/**
 * A refund file as requests: read once to check every row and index the valid ones, and again to hand over each
 * valid row as the request it becomes. Both passes stream; neither holds more than one row.
 */
public final class BatchRows {

    private final Path file;
    private final RefundRules rules;
    private final String defaultAccount;
    private final int maxRequestBytes;

    public BatchRows(Path file, RefundRules rules, String defaultAccount, int maxRequestBytes) {
        this.file = file;
        this.rules = rules;
        this.defaultAccount = defaultAccount;
        this.maxRequestBytes = maxRequestBytes;
    }

    /**
     * What the check found.
     *
     * @param rowsRead    rows found in the file, valid or not
     * @param invalidRows rows left out: unreadable, incomplete, or a repeat of an earlier row
     * @param problems    everything wrong, rows and header alike
     */
    public record Checked(BatchIndex index, long rowsRead, long invalidRows, long problems) {
    }

    /** One valid row as the record it becomes on {@code payments.requests}. */
    public record Prepared(long line, RefundId id, PaymentRequest request, byte[] key, byte[] value) {
    }

    /** Reads the whole file, reporting each problem as it is found. */
    public Checked check(Consumer<RowProblem> problems) throws IOException {
        BatchIndex.Builder index = BatchIndex.builder();
        long[] counts = new long[3];
        RefundFile.read(file, new RefundFile.Visitor() {
            @Override
            public void row(RefundRow row) {
                counts[0]++;
                List<RowProblem> found = problemsOf(row);
                if (found.isEmpty()) {
                    index.add(idOf(row), row.line());
                } else {
                    counts[1]++;
                    counts[2] += found.size();
                    found.forEach(problems);
                }
            }

            @Override
            public void problem(RowProblem problem) {
                counts[1]++;
                counts[2]++;
                problems.accept(problem);
            }
        });
        BatchIndex.Built built = index.build();
        String sameBecause = rules.idempotencyField() != null ? "the same " + rules.idempotencyField() : "the same fields";
        for (BatchIndex.Repeat repeat : built.repeats()) {
            problems.accept(new RowProblem(repeat.line(), rules.idempotencyField(),
                    "expected another refund than line " + repeat.firstLine() + " (" + sameBecause + ", so the same requestId)"));
        }
        return new Checked(built.index(), counts[0], counts[1] + built.repeats().size(), counts[2] + built.repeats().size());
    }

    /** Reads the file again, handing over the rows the index holds (valid, first of their id), in file order. */
    public void forEachPrepared(BatchIndex index, Consumer<Prepared> sink) throws IOException {
        RefundFile.read(file, new RefundFile.Visitor() {
            @Override
            public void row(RefundRow row) {
                if (!rules.check(row).isEmpty()) {
                    return;
                }
                RefundId id = idOf(row);
                int at = index.find(id);
                if (at < 0 || index.line(at) != row.line()) {
                    return;
                }
                PaymentRequest request = requestOf(row, id);
                byte[] value = Json.writeBytes(request);
                if (value.length <= maxRequestBytes) {
                    sink.accept(new Prepared(row.line(), id, request, request.recordKey().getBytes(StandardCharsets.UTF_8), value));
                }
            }

            @Override
            public void problem(RowProblem problem) {
                // Reported by the check already.
            }
        });
    }

    private List<RowProblem> problemsOf(RefundRow row) {
        List<RowProblem> problems = rules.check(row);
        if (problems.isEmpty()) {
            int size = Json.writeBytes(requestOf(row, idOf(row))).length;
            if (size > maxRequestBytes) {
                return List.of(new RowProblem(row.line(), null, "expected a request of at most " + maxRequestBytes
                        + " bytes (limits.maxRequestBytes); this row makes " + size));
            }
        }
        return problems;
    }

    private String accountOf(RefundRow row) {
        return row.account() != null ? row.account() : defaultAccount;
    }

    private RefundId idOf(RefundRow row) {
        return RefundId.derive(rules.provider(), accountOf(row), rules.idempotencyMaterial(row));
    }

    private PaymentRequest requestOf(RefundRow row, RefundId id) {
        String requestId = id.requestId();
        return new PaymentRequest(requestId, rules.provider(), accountOf(row), RefundRules.OPERATION, null, null,
                rules.recordKey(row, requestId), row.payload());
    }
}
