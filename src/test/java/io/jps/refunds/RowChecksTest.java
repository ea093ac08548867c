package io.jps.refunds;

import static org.assertj.core.api.Assertions.assertThat;

import io.jps.config.ConfigLoader;
import io.jps.config.PipelineConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every row of a refund file is checked before anything is sent: each problem names its line and field, never its value. */
class RowChecksTest {

    private static final PipelineConfig CONFIG = ConfigLoader.defaults();
    private static final RefundRules JUSPAY = RefundRules.forProvider(CONFIG.providers().get("juspay")).orElseThrow();

    @TempDir
    Path dir;

    @Test
    void aValidCsvFileHasNoProblemAndEveryRowInTheIndex() throws IOException {
        Checked checked = check("refunds.csv", """
                order_id,unique_request_id,amount,note
                ord_1,rf_1,10.00,first
                ord_2,rf_2,0.01,
                """);

        assertThat(checked.problems()).isEmpty();
        assertThat(checked.result().index().size()).isEqualTo(2);
        assertThat(checked.result().rowsRead()).isEqualTo(2);
        assertThat(checked.result().index().line(0)).isEqualTo(2);
        assertThat(checked.result().index().line(1)).isEqualTo(3);
    }

    @Test
    void namesTheLineAndFieldOfEveryBadCsvRowAndWhatWasExpected() throws IOException {
        Checked checked = check("refunds.csv", """
                order_id,unique_request_id,amount
                ord_1,rf_1,10.00
                ,rf_2,5.00
                ord_3,,5.00
                ord_4,rf_4,-3
                ord_5,rf_5,1e3
                ord_6,rf_6
                ord_7,rf_7,1.00,surplus
                ord_8,rf_8,0
                """);

        assertThat(checked.problems()).containsExactly(
                "line 3, order_id: expected a non-empty string or integer (it fills the request path)",
                "line 4, unique_request_id: expected a non-empty string",
                "line 5, amount: expected a positive decimal such as 10.00",
                "line 6, amount: expected a positive decimal such as 10.00",
                "line 7, amount: expected a positive decimal such as 10.00",
                "line 8: more values than the header has columns",
                "line 9, amount: expected a positive decimal such as 10.00");
        assertThat(checked.result().index().size()).isEqualTo(1);
        assertThat(checked.result().invalidRows()).isEqualTo(7);
    }

    @Test
    void neverQuotesTheValueItFound() throws IOException {
        Checked checked = check("refunds.csv", """
                order_id,unique_request_id,amount
                ord_1,rf_1,SECRET-LOOKING-AMOUNT
                ord_2,rf_2,1.00,SECRET-SURPLUS
                """);

        assertThat(checked.problems()).hasSize(2).allSatisfy(problem -> assertThat(problem).doesNotContain("SECRET"));
    }

    @Test
    void aRowRepeatingAnEarlierRefundIsAProblemOnTheLaterLine() throws IOException {
        Checked checked = check("refunds.csv", """
                order_id,unique_request_id,amount
                ord_1,rf_1,10.00
                ord_2,rf_2,10.00
                ord_1,rf_1,10.00
                """);

        assertThat(checked.problems()).containsExactly(
                "line 4, unique_request_id: expected another refund than line 2 (the same unique_request_id, so the same requestId)");
        assertThat(checked.result().index().size()).isEqualTo(2);
    }

    @Test
    void theHeaderMustNameEachColumnOnce() throws IOException {
        assertThat(check("refunds.csv", "order_id,amount,amount\nord_1,1.00,2.00\n").problems())
                .containsExactly("line 1, amount: expected once in the header, found twice");
        assertThat(check("refunds.csv", "").problems()).containsExactly("line 1: expected a header row naming the columns");
    }

    @Test
    void accountAndKeyColumnsAreNotPayloadAndAreChecked() throws IOException {
        Checked checked = check("refunds.csv", """
                order_id,unique_request_id,amount,account,key
                ord_1,rf_1,10.00,acme,payment-1
                ord_2,rf_2,10.00,../etc,
                """);

        assertThat(checked.problems()).containsExactly("line 3, account: expected an account name (letters, digits, '.', '-', '_')");
    }

    @Test
    void namesTheLineOfEveryBadJsonlRow() throws IOException {
        Checked checked = check("refunds.jsonl", """
                {"order_id": "ord_1", "unique_request_id": "rf_1", "amount": "10.00"}

                {"order_id": "ord_2", "unique_request_id": "rf_2", "amount": 7.5}
                {"order_id": "ord_3", "unique_request_id": "rf_3"
                ["not", "an", "object"]
                {"order_id": 4, "unique_request_id": 44, "amount": "1.00"}
                {"order_id": "ord_5", "unique_request_id": "rf_5", "amount": "1.00", "account": 7}
                {"order_id": "ord_6", "order_id": "ord_6b", "unique_request_id": "rf_6", "amount": "1.00"}
                """);

        assertThat(checked.problems()).containsExactly(
                "line 4: expected one JSON object on the line",
                "line 5: expected a JSON object",
                "line 6, unique_request_id: expected a non-empty string",
                "line 7, account: expected a string",
                "line 8: expected one JSON object on the line");
        assertThat(checked.result().index().size()).isEqualTo(2);
    }

    @Test
    void aRowTooLargeForTheSealStageIsRefusedHere() throws IOException {
        Path file = dir.resolve("big.jsonl");
        Files.writeString(file, "{\"order_id\":\"ord_1\",\"unique_request_id\":\"rf_1\",\"amount\":\"1.00\",\"note\":\""
                + "x".repeat(2_000) + "\"}\n");
        List<String> problems = new ArrayList<>();

        new BatchRows(file, JUSPAY, "default", 1_000).check(problem -> problems.add(problem.toString()));

        assertThat(problems).singleElement().asString().startsWith("line 1: expected a request of at most 1000 bytes (limits.maxRequestBytes)");
    }

    @Test
    void theShippedExamplesAreValid() throws IOException {
        for (String example : List.of("refunds-juspay.csv", "refunds-juspay.jsonl")) {
            List<String> problems = new ArrayList<>();
            BatchRows.Checked checked = new BatchRows(Path.of("examples", example), JUSPAY, "default", 1_000_000)
                    .check(problem -> problems.add(problem.toString()));
            assertThat(problems).as(example).isEmpty();
            assertThat(checked.index().size()).as(example).isEqualTo(4);
        }
    }

    @Test
    void everyProviderWithARefundOperationHasExamples() {
        CONFIG.providers().values().stream().filter(profile -> RefundRules.forProvider(profile).isPresent()).forEach(profile -> {
            assertThat(Path.of("examples", "refunds-" + profile.name() + ".csv")).exists();
            assertThat(Path.of("examples", "refunds-" + profile.name() + ".jsonl")).exists();
        });
    }

    private record Checked(BatchRows.Checked result, List<String> problems) {
    }

    private Checked check(String name, String content) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, content);
        List<String> problems = new ArrayList<>();
        BatchRows.Checked result = new BatchRows(file, JUSPAY, "default", 1_000_000).check(problem -> problems.add(problem.toString()));
        return new Checked(result, problems);
    }
}
