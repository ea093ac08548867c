package io.jps.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.jps.dispatch.IdempotencyKeys;
import io.jps.record.Json;
import io.jps.record.PaymentResult;
import io.jps.refunds.RefundId;
import io.jps.sandbox.FaultPlan;
import io.jps.sandbox.FaultPlan.RequestClass;
import io.jps.sandbox.FaultRates;
import io.jps.sandbox.SandboxSettings;
import io.jps.support.KafkaClients;
import io.jps.support.TestKeys;
import io.jps.support.WholePipeline;
import io.jps.support.WholePipeline.Run;
import io.jps.topology.HeaderNames;
import io.jps.topology.PipelineTopics;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * {@code refunds submit} and {@code refunds status} through their command line, in this process, against the whole
 * pipeline on a real broker: the stages, the dispatcher and the sandbox playing Juspay with faults switched on.
 * Every report line is checked against where its request really ended on the topics and what the sandbox's fault plan
 * says of it; a resubmitted file gives the same report and the sandbox sees no second attempt of any refund.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RefundsIT {

    private static final int ROWS = 2_000;
    private static final long SEED = 5;
    private static final FaultRates FAULTS = FaultRates.NONE
            .with(RequestClass.DOWN, 0.02)
            .with(RequestClass.SERVER_ERROR_ONCE, 0.03)
            .with(RequestClass.TAMPERED, 0.02)
            .with(RequestClass.WRONG_SIGNER, 0.02)
            .with(RequestClass.NOT_JOSE, 0.01);
    private static final String STALLED = "juspay-stalled";

    private static WholePipeline pipeline;
    private static Path dir;
    private static PipelineTopics topics;

    @BeforeAll
    static void startThePipeline() throws Exception {
        dir = Files.createTempDirectory(Path.of("target"), "refunds-it-");
        Path keys = TestKeys.copy();
        WholePipeline.copyTree(keys.resolve("juspay/default"), keys.resolve(STALLED + "/default"));
        pipeline = WholePipeline.start("refunds-it", SandboxSettings.wellBehaved(TestKeys.sandboxKeys()).withFaults(SEED, FAULTS)
                        .withTimes(Duration.ofMillis(10), Duration.ofSeconds(1), Duration.ofSeconds(1)), keys, """
                  %s:
                    like: juspay
                    baseUrl: http://127.0.0.1:%d
                    dispatch: {rateLimit: 0, maxAttempts: 100000, maxTotalTime: PT1H, initialBackoff: PT1S, maxBackoff: PT5S}
                """.formatted(STALLED, closedPort()));
        topics = pipeline.topics();
    }

    @AfterAll
    static void stopThePipeline() throws Exception {
        if (pipeline != null) {
            pipeline.close();
        }
    }

    @Test
    @Order(1)
    void aFileWithOneBadRowExitsTwoAndSendsNothing() throws Exception {
        Path file = dir.resolve("one-bad-row.csv");
        Files.writeString(file, "order_id,unique_request_id,amount\nord_b1,rf_b1,1.00\nord_b2,rf_b2,-1.00\nord_b3,rf_b3,3.00\n");
        long before = requestsEnd();

        Run run = refunds("submit", "--provider", "juspay", "--file", file.toString(), "--wait", "--timeout", "PT30S");

        assertThat(run.exit()).as(run.err()).isEqualTo(2);
        assertThat(run.err()).contains("line 3, amount: expected a positive decimal").contains("nothing was sent");
        assertThat(requestsEnd()).isEqualTo(before);

        Run dryRun = refunds("submit", "--provider", "juspay", "--file", file.toString(), "--skip-invalid", "--dry-run");
        assertThat(dryRun.exit()).as(dryRun.err()).isZero();
        assertThat(dryRun.out()).contains("line 2  " + requestId("default", "rf_b1")).contains("line 4  " + requestId("default", "rf_b3"))
                .doesNotContain("line 3 ");
        assertThat(requestsEnd()).isEqualTo(before);
    }

    @Test
    @Order(2)
    void aBatchIsReportedWhereEachRequestEndedAndAResubmissionPaysNobodyTwice() throws Exception {
        Path file = dir.resolve("batch.csv");
        List<String> lines = new ArrayList<>(List.of("order_id,unique_request_id,amount,account"));
        for (int i = 0; i < ROWS; i++) {
            lines.add("ord_" + (i / 3) + ",rf_" + i + "," + (1 + i % 50) + ".00," + (i % 4 == 3 ? "acme" : ""));
        }
        Files.write(file, lines);
        Path firstReport = dir.resolve("first.csv");

        Run first = refunds("submit", "--provider", "juspay", "--file", file.toString(), "--wait", "--timeout", "PT5M",
                "--report", firstReport.toString());

        Map<String, String> expected = fromTheFaultPlan();
        assertThat(first.exit()).as(first.err()).isEqualTo(1);
        List<String> report = Files.readAllLines(firstReport);
        assertThat(report.get(0)).isEqualTo("line,requestId,outcome,httpStatus,reason");
        assertThat(report).hasSize(ROWS + 1);
        Map<String, String> onTheTopics = whereEachRequestEnded();
        for (int i = 0; i < ROWS; i++) {
            String[] cells = report.get(i + 1).split(",", -1);
            String requestId = requestId(i % 4 == 3 ? "acme" : "default", "rf_" + i);
            assertThat(cells[0]).isEqualTo(String.valueOf(i + 2));
            assertThat(cells[1]).isEqualTo(requestId);
            assertThat(cells[2] + " " + cells[4]).as("line " + (i + 2)).isEqualTo(onTheTopics.get(requestId))
                    .isEqualTo(expected.get(requestId));
            assertThat(cells[3]).isEqualTo(cells[2].equals("SUCCEEDED") ? "200" : "");
        }
        assertThat(first.out()).contains(ROWS + " rows: ");
        Map<String, Integer> attempts = sandboxAttempts();

        Path secondReport = dir.resolve("second.csv");
        Run second = refunds("submit", "--provider", "juspay", "--file", file.toString(), "--wait", "--timeout", "PT5M",
                "--report", secondReport.toString());

        assertThat(second.exit()).as(second.err()).isEqualTo(1);
        assertThat(Files.readAllLines(secondReport)).isEqualTo(report);
        assertThat(duplicateRefusals()).as("every resubmitted row refused by the seal stage").isEqualTo(ROWS);
        assertThat(sandboxAttempts()).as("the sandbox saw no second attempt of any refund").isEqualTo(attempts);

        Path statusReport = dir.resolve("status.csv");
        Run status = refunds("status", "--provider", "juspay", "--file", file.toString(), "--report", statusReport.toString());
        assertThat(status.exit()).as(status.err()).isEqualTo(1);
        assertThat(Files.readAllLines(statusReport)).isEqualTo(report);
    }

    @Test
    @Order(3)
    void waitingOnAProviderThatNeverAnswersExitsThreeAndListsTheMissingRows() throws Exception {
        Path file = dir.resolve("stalled.jsonl");
        Files.writeString(file, """
                {"order_id": "ord_s1", "unique_request_id": "rf_s1", "amount": "1.00"}
                {"order_id": "ord_s2", "unique_request_id": "rf_s2", "amount": "2.00"}
                """);

        Run run = refunds("submit", "--provider", STALLED, "--file", file.toString(), "--wait", "--timeout", "PT10S");

        assertThat(run.exit()).as(run.err()).isEqualTo(3);
        assertThat(run.err()).contains("2 row(s) without an outcome (--wait timed out after PT10S)")
                .contains("line 1  refund-").contains("line 2  refund-");
        assertThat(run.out()).contains("2 rows: 0 succeeded, 0 provider errors, 0 dead letters, 2 missing");
    }

    @Test
    @Order(4)
    void aReplayHoldsBackWhatTheProviderMayHaveActedOnAndTheRefusedRepeats() {
        long down = fromTheFaultPlan().values().stream().filter(ending -> ending.endsWith("RETRIES_EXHAUSTED")).count();

        Run dispatch = pipeline.cli("dlq", "replay", "--topic", topics.dlqDispatch().name(), "--dry-run");
        Run repeats = pipeline.cli("dlq", "replay", "--topic", topics.dlqRequest().name(), "--reason", "DUPLICATE_REQUEST", "--dry-run");

        assertThat(dispatch.exit()).as(dispatch.err()).isZero();
        assertThat(dispatch.out()).contains("would move 0; moved by an earlier run 0; held back " + down + " (--force moves them)")
                .contains("RETRIES_EXHAUSTED").contains("needs --force: the provider may have acted on it");
        assertThat(repeats.out()).contains("would move 0; moved by an earlier run 0; held back " + ROWS + " (--force moves them)")
                .contains("needs --force: its requestId was sealed before");
        Run inspected = pipeline.cli("dlq", "inspect", "--topic", topics.dlqDispatch().name());
        assertThat(inspected.out()).containsPattern("RETRIES_EXHAUSTED +juspay +" + down + " +0  needs --force");
    }

    /** Where each refund must end, from the sandbox's plan for its idempotency key, as the report says it. */
    private static Map<String, String> fromTheFaultPlan() {
        FaultPlan plan = pipeline.sandbox().plan();
        Map<String, String> expected = new LinkedHashMap<>();
        for (int i = 0; i < ROWS; i++) {
            String account = i % 4 == 3 ? "acme" : "default";
            String requestId = requestId(account, "rf_" + i);
            expected.put(requestId, switch (plan.classify(IdempotencyKeys.of("juspay", account, requestId))) {
                case DOWN -> "DEAD_LETTER RETRIES_EXHAUSTED";
                case TAMPERED -> "DEAD_LETTER DECRYPT_FAILED";
                case WRONG_SIGNER -> "DEAD_LETTER BAD_SIGNATURE";
                case NOT_JOSE -> "DEAD_LETTER MALFORMED";
                default -> "SUCCEEDED ";
            });
        }
        return expected;
    }

    /** Read from the topics themselves: each request's result or dead letter (the seal stage's refusals of repeats aside). */
    private static Map<String, String> whereEachRequestEnded() throws IOException {
        List<String> outcomeTopics = List.of(topics.resultTopicOf("juspay"), topics.dlqRequest().name(), topics.dlqDispatch().name(),
                topics.dlqDecryption().name(), topics.dlqSignature().name());
        Map<String, String> endings = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> record : KafkaClients.readUntilQuiet(pipeline.bootstrapServers(), outcomeTopics, ROWS,
                Duration.ofSeconds(2), Duration.ofMinutes(1))) {
            String requestId = header(record, HeaderNames.REQUEST_ID);
            String reason = header(record, HeaderNames.ERROR_REASON);
            if ("DUPLICATE_REQUEST".equals(reason) || requestId == null || !requestId.startsWith(RefundId.PREFIX)) {
                continue;
            }
            String ending = reason == null
                    ? Json.MAPPER.readValue(record.value(), PaymentResult.class).outcome().name() + " "
                    : "DEAD_LETTER " + reason;
            assertThat(endings.put(requestId, ending)).as("one ending for " + requestId).isNull();
        }
        return endings;
    }

    private static long duplicateRefusals() {
        return KafkaClients.readUntilQuiet(pipeline.bootstrapServers(), List.of(topics.dlqRequest().name()), ROWS,
                Duration.ofSeconds(2), Duration.ofMinutes(1)).stream()
                .filter(record -> "DUPLICATE_REQUEST".equals(header(record, HeaderNames.ERROR_REASON))).count();
    }

    private static Map<String, Integer> sandboxAttempts() {
        Map<String, Integer> attempts = new HashMap<>();
        for (int i = 0; i < ROWS; i++) {
            String account = i % 4 == 3 ? "acme" : "default";
            String key = IdempotencyKeys.of("juspay", account, requestId(account, "rf_" + i));
            attempts.put(key, pipeline.sandbox().attempts(key).size());
        }
        assertThat(attempts.values()).allMatch(count -> count >= 1);
        return attempts;
    }

    private static String requestId(String account, String uniqueRequestId) {
        return RefundId.derive("juspay", account, "unique_request_id=" + uniqueRequestId).requestId();
    }

    private static Run refunds(String... args) {
        List<String> all = new ArrayList<>(List.of("refunds"));
        all.addAll(List.of(args));
        return pipeline.cli(all.toArray(String[]::new));
    }

    private static long requestsEnd() {
        try (KafkaConsumer<byte[], byte[]> consumer = KafkaClients.consumer(pipeline.bootstrapServers(), List.of())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topics.requests().name()).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            return consumer.endOffsets(partitions).values().stream().mapToLong(Long::longValue).sum();
        }
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        var header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
