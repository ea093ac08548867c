package io.jps.refunds;

import com.fasterxml.jackson.databind.SequenceWriter;
import com.fasterxml.jackson.dataformat.csv.CsvGenerator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The report CSV: one line per row sent, in file order: {@code line,requestId,outcome,httpStatus,reason}. */
public final class ReconciliationReport {

    /** Quotes only where CSV needs them: a report is read by spreadsheets and by scripts alike. */
    private static final CsvMapper CSV = CsvMapper.builder().enable(CsvGenerator.Feature.STRICT_CHECK_FOR_QUOTING).build();
    private static final CsvSchema SCHEMA = CsvSchema.builder()
            .addColumn("line").addColumn("requestId").addColumn("outcome").addColumn("httpStatus").addColumn("reason")
            .build().withHeader();

    private ReconciliationReport() {
    }

    public static void write(BatchIndex index, Path report) throws IOException {
        Path parent = report.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        try (var writer = Files.newBufferedWriter(report);
             SequenceWriter rows = CSV.writer(SCHEMA).writeValues(writer)) {
            for (int row = 0; row < index.size(); row++) {
                int status = index.httpStatus(row);
                rows.write(List.of(String.valueOf(index.line(row)), index.id(row).requestId(), index.outcome(row).name(),
                        status == 0 ? "" : String.valueOf(status), index.reason(row)));
            }
        }
    }
}
