package io.jps.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import io.jps.dlq.DeadLetterView;
import io.jps.dlq.DlqReplayer;
import io.jps.dlq.ReplayFilter;
import io.jps.dlq.ReplayRisk;
import io.jps.record.Json;
import io.jps.record.PaymentResult;
import io.jps.refunds.RefundId;
import io.jps.sandbox.SandboxSettings;
import io.jps.support.KafkaClients;
import io.jps.support.TestKeys;
import io.jps.support.WholePipeline.Run;
import io.jps.support.WholePipeline;
import io.jps.topology.HeaderNames;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * Juspay rotates its signing key before we have it: every answer is signed with a kid we do not know and is
 * dead-lettered as UNKNOWN_KID. Once the key is added, {@code dlq replay} turns each dead letter into its request's
 * one result; a replay killed midway (with a transaction open) and run again moves nothing twice.
 */
class DlqReplayIT {

    private static final int ROWS = 250;
    private static final int KILLED_AFTER = 150;

    @Test
    void deadLetteredAnswersReplayedAfterTheKeyIsAddedBecomeResultsOnceDespiteAKilledReplay() throws Exception {
        Path keys = TestKeys.copy();
        Path providerKeys = TestKeys.copyOfSandboxKeys();
        RSAKey rotated = new RSAKeyGenerator(2048).keyID("juspay-2027").issueTime(Date.from(Instant.now().plusSeconds(60))).generate();
        Files.writeString(providerKeys.resolve("juspay/default/rotated.jwks.json"), new JWKSet(rotated).toString(false));
        try (WholePipeline pipeline = WholePipeline.start("dlq-replay-it", SandboxSettings.wellBehaved(providerKeys), keys, "")) {
            Path file = Files.createTempFile(Path.of("target"), "rotated-", ".csv");
            List<String> lines = new ArrayList<>(List.of("order_id,unique_request_id,amount"));
            for (int i = 0; i < ROWS; i++) {
                lines.add("ord_r" + i + ",rf_r" + i + ",5.00");
            }
            Files.write(file, lines);
            Path before = file.resolveSibling(file.getFileName() + ".before.csv");

            Run submitted = pipeline.cli("refunds", "submit", "--provider", "juspay", "--file", file.toString(), "--wait",
                    "--timeout", "PT3M", "--report", before.toString());
            assertThat(submitted.exit()).as(submitted.err()).isEqualTo(1);
            assertThat(rowsOf(before)).hasSize(ROWS).allSatisfy(line -> assertThat(line).endsWith(",DEAD_LETTER,,UNKNOWN_KID"));

            String signatureDlq = pipeline.topics().dlqSignature().name();
            Run inspected = pipeline.cli("dlq", "inspect", "--topic", signatureDlq);
            assertThat(inspected.exit()).as(inspected.err()).isZero();
            assertThat(inspected.out()).contains(signatureDlq + ": " + ROWS + " dead letter(s), 0 of them replayed already")
                    .containsPattern("UNKNOWN_KID +juspay +" + ROWS + " +0  replayable")
                    .doesNotContain("encryptedPayload").doesNotContain("\"body\"");

            // Juspay tells us its new key.
            Files.writeString(keys.resolve("juspay/default/rotated.jwks.json"), new JWKSet(rotated.toPublicJWK()).toString());
            pipeline.engine().keyRing().refreshAll();

            Run dryRun = pipeline.cli("dlq", "replay", "--topic", signatureDlq, "--dry-run");
            assertThat(dryRun.exit()).as(dryRun.err()).isZero();
            assertThat(dryRun.out()).contains("would move " + ROWS + ";").contains("would move " + signatureDlq + "[0]@0 -> payments.responses[");

            // A replay that dies with a transaction open: the first 100 records are committed, the next 50 are not.
            DlqReplayer replayer = new DlqReplayer(pipeline.config(), pipeline.connection());
            AtomicInteger handed = new AtomicInteger();
            assertThatThrownBy(() -> replayer.replay(signatureDlq, ReplayFilter.ALL, false, false, new KilledAfter(KILLED_AFTER, handed)))
                    .hasMessage("killed");

            Run rerun = pipeline.cli("dlq", "replay", "--topic", signatureDlq);
            assertThat(rerun.exit()).as(rerun.err()).isZero();
            assertThat(rerun.out()).contains("moved " + (ROWS - 100) + "; moved by an earlier run 100;");

            Map<String, Integer> results = new HashMap<>();
            for (ConsumerRecord<byte[], byte[]> record : KafkaClients.readUntilQuiet(pipeline.bootstrapServers(),
                    List.of(pipeline.topics().resultTopicOf("juspay")), ROWS, Duration.ofSeconds(3), Duration.ofMinutes(1))) {
                PaymentResult result = Json.MAPPER.readValue(record.value(), PaymentResult.class);
                assertThat(result.verifiedKid()).isEqualTo("juspay-2027");
                results.merge(result.requestId(), 1, Integer::sum);
            }
            assertThat(results).hasSize(ROWS).allSatisfy((id, count) -> {
                assertThat(RefundId.parse(id)).isPresent();
                assertThat(count).as("results of " + id).isEqualTo(1);
            });
            Path after = file.resolveSibling(file.getFileName() + ".after.csv");
            Run status = pipeline.cli("refunds", "status", "--provider", "juspay", "--file", file.toString(), "--report", after.toString());
            assertThat(status.exit()).as(status.out() + status.err()).isZero();
            assertThat(rowsOf(after)).hasSize(ROWS).allSatisfy(line -> assertThat(line).endsWith(",SUCCEEDED,200,"));

            Map<String, Integer> answers = new HashMap<>();
            KafkaClients.readUntilQuiet(pipeline.bootstrapServers(), List.of(pipeline.topics().responses().name()), 2 * ROWS,
                    Duration.ofSeconds(2), Duration.ofMinutes(1)).forEach(record -> answers.merge(
                    new String(record.headers().lastHeader(HeaderNames.ATTESTATION).value(), StandardCharsets.US_ASCII), 1, Integer::sum));
            assertThat(answers).as("each answer: as dispatched, and replayed exactly once").hasSize(ROWS)
                    .allSatisfy((attestation, count) -> assertThat(count).isEqualTo(2));

            Run third = pipeline.cli("dlq", "replay", "--topic", signatureDlq);
            assertThat(third.out()).contains("moved 0; moved by an earlier run " + ROWS + ";");
            assertThat(pipeline.cli("dlq", "inspect", "--topic", signatureDlq).out())
                    .contains(ROWS + " dead letter(s), " + ROWS + " of them replayed already");
        }
    }

    private static List<String> rowsOf(Path report) throws java.io.IOException {
        List<String> lines = Files.readAllLines(report);
        return lines.subList(1, lines.size());
    }

    /** Plays a process killed after handing {@code limit} records to its transaction. */
    private record KilledAfter(int limit, AtomicInteger handed) implements DlqReplayer.Listener {
        @Override
        public void moving(DeadLetterView letter, String target) {
            if (handed.incrementAndGet() >= limit) {
                throw new IllegalStateException("killed");
            }
        }

        @Override
        public void moved(List<DeadLetterView> letters, String target) {
        }

        @Override
        public void heldBack(DeadLetterView letter, ReplayRisk risk) {
        }

        @Override
        public void unreplayable(DeadLetterView letter, String why) {
        }
    }
}
