package io.jps.refunds;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import com.fasterxml.jackson.dataformat.csv.CsvReadException;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import io.jps.record.Json;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads a refund file one row at a time, never whole: CSV (a header row, a column per payload field) or JSONL (a
 * payload object per line). Every row is handed over with the line it starts on, or a {@link RowProblem} for one
 * that cannot be read; what the provider needs of a row is {@link RefundRules}' to say.
 */
public final class RefundFile {

    /** Columns (CSV) or fields (JSONL) that are not payload: the row's account, and its record key. */
    public static final String ACCOUNT = "account";
    public static final String KEY = "key";

    private static final CsvMapper CSV = new CsvMapper();
    private static final String HEADER_EXPECTED = "expected a header row naming the columns";

    /** Receives a file's rows, in file order. */
    public interface Visitor {
        void row(RefundRow row);

        void problem(RowProblem problem);
    }

    public enum Format { CSV, JSONL }

    private RefundFile() {
    }

    /** @throws IllegalArgumentException when the file's name says neither .csv nor .jsonl */
    public static Format formatOf(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".csv")) {
            return Format.CSV;
        }
        if (name.endsWith(".jsonl") || name.endsWith(".ndjson")) {
            return Format.JSONL;
        }
        throw new IllegalArgumentException(file.getFileName() + ": a refund file is .csv or .jsonl");
    }

    public static void read(Path file, Visitor visitor) throws IOException {
        switch (formatOf(file)) {
            case CSV -> readCsv(file, visitor);
            case JSONL -> readJsonl(file, visitor);
        }
    }

    private static Reader strictUtf8(Path file) throws IOException {
        return new BufferedReader(new java.io.InputStreamReader(Files.newInputStream(file), StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT)));
    }

    private static void readCsv(Path file, Visitor visitor) throws IOException {
        try (Reader reader = strictUtf8(file)) {
            MappingIterator<Map<String, String>> rows;
            try {
                rows = CSV.readerFor(Map.class).with(CsvSchema.emptySchema().withHeader()).readValues(reader);
            } catch (CsvReadException e) {
                visitor.problem(new RowProblem(1, null, HEADER_EXPECTED));
                return;
            }
            readCsvRows(rows, visitor);
        }
    }

    private static void readCsvRows(MappingIterator<Map<String, String>> rows, Visitor visitor) throws IOException {
        try (rows) {
            boolean headerChecked = false;
            long lastFailedAt = -1;
            while (true) {
                long line;
                Map<String, String> values;
                try {
                    if (!rows.hasNextValue()) {
                        if (!headerChecked) {
                            checkHeader(rows, visitor);
                        }
                        return;
                    }
                    if (!headerChecked) {
                        headerChecked = true;
                        if (!checkHeader(rows, visitor)) {
                            return;
                        }
                    }
                    // The parser stands at the end of the previous row when it announces the next one.
                    line = rows.getParser().currentTokenLocation().getLineNr() + 1;
                    values = rows.nextValue();
                } catch (CsvReadException e) {
                    long at = rows.getParser().currentLocation().getLineNr();
                    // Jackson's message quotes the cell it choked on: payment data, so only where and what kind.
                    visitor.problem(new RowProblem(at, null, e.getMessage().startsWith("Too many entries")
                            ? "more values than the header has columns" : "not a readable CSV row"));
                    if (at == lastFailedAt) {
                        return;
                    }
                    lastFailedAt = at;
                    continue;
                } catch (java.nio.charset.CharacterCodingException e) {
                    visitor.problem(new RowProblem(rows.getParser().currentLocation().getLineNr(), null, "not valid UTF-8"));
                    return;
                }
                if (values.values().stream().allMatch(value -> value == null || value.isEmpty())) {
                    continue;
                }
                visitor.row(csvRow(line, values));
            }
        }
    }

    /** @return whether rows can be read under this header */
    private static boolean checkHeader(MappingIterator<Map<String, String>> rows, Visitor visitor) {
        CsvSchema schema = ((CsvParser) rows.getParser()).getSchema();
        Set<String> seen = new HashSet<>();
        boolean usable = schema.size() > 0;
        if (!usable) {
            visitor.problem(new RowProblem(1, null, HEADER_EXPECTED));
        }
        for (Iterator<CsvSchema.Column> columns = schema.iterator(); columns.hasNext(); ) {
            String name = columns.next().getName();
            if (name.isBlank()) {
                visitor.problem(new RowProblem(1, null, "expected a name for every column of the header"));
                usable = false;
            } else if (!seen.add(name)) {
                visitor.problem(new RowProblem(1, name, "expected once in the header, found twice"));
                usable = false;
            }
        }
        return usable;
    }

    private static RefundRow csvRow(long line, Map<String, String> values) {
        ObjectNode payload = JsonNodeFactory.instance.objectNode();
        String account = null;
        String key = null;
        for (Map.Entry<String, String> cell : values.entrySet()) {
            String value = cell.getValue() == null ? "" : cell.getValue();
            switch (cell.getKey()) {
                case ACCOUNT -> account = value.isEmpty() ? null : value;
                case KEY -> key = value.isEmpty() ? null : value;
                default -> {
                    // An empty cell is a field the row does not give.
                    if (!value.isEmpty()) {
                        payload.put(cell.getKey(), value);
                    }
                }
            }
        }
        return new RefundRow(line, account, key, payload);
    }

    private static void readJsonl(Path file, Visitor visitor) throws IOException {
        try (BufferedReader reader = new BufferedReader(strictUtf8(file))) {
            long line = 0;
            while (true) {
                String text;
                try {
                    text = reader.readLine();
                } catch (java.nio.charset.CharacterCodingException e) {
                    visitor.problem(new RowProblem(line + 1, null, "not valid UTF-8"));
                    return;
                }
                if (text == null) {
                    return;
                }
                line++;
                if (!text.isBlank()) {
                    jsonlRow(line, text, visitor);
                }
            }
        }
    }

    private static void jsonlRow(long line, String text, Visitor visitor) {
        JsonNode node;
        try {
            node = Json.parseTree(text);
        } catch (Json.MalformedJsonException e) {
            visitor.problem(new RowProblem(line, null, "expected one JSON object on the line"));
            return;
        }
        if (!node.isObject()) {
            visitor.problem(new RowProblem(line, null, "expected a JSON object"));
            return;
        }
        ObjectNode payload = ((ObjectNode) node).deepCopy();
        String account = null;
        String key = null;
        for (String field : List.of(ACCOUNT, KEY)) {
            JsonNode value = payload.remove(field);
            if (value == null || value.isNull()) {
                continue;
            }
            if (!value.isTextual()) {
                visitor.problem(new RowProblem(line, field, "expected a string"));
                return;
            }
            if (field.equals(ACCOUNT)) {
                account = value.asText();
            } else {
                key = value.asText();
            }
        }
        visitor.row(new RefundRow(line, account, key, payload));
    }
}
