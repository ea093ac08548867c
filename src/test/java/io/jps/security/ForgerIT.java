package io.jps.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.EncryptionMethod;
import com.nimbusds.jose.JWEAlgorithm;
import com.nimbusds.jose.JWEHeader;
import io.jps.bench.SampleRequests;
import io.jps.config.ConfigLoader;
import io.jps.config.PipelineConfig;
import io.jps.dispatch.Dispatcher;
import io.jps.dispatch.IdempotencyKeys;
import io.jps.engine.Engine;
import io.jps.observe.PipelineMetrics;
import io.jps.record.Json;
import io.jps.record.PaymentRequest;
import io.jps.record.PaymentResult;
import io.jps.record.ProviderResponse;
import io.jps.sandbox.ProviderSandbox;
import io.jps.sandbox.SandboxSettings;
import io.jps.seal.JoseSealer;
import io.jps.support.Engines;
import io.jps.support.KafkaClients;
import io.jps.support.TestBroker;
import io.jps.support.TestKeys;
import io.jps.topology.HeaderNames;
import io.jps.topology.PipelineTopics;
import io.jps.topology.SealOpenStages;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * A forger who can write (and read) {@code payments.responses} but holds no key, on a real broker, around the
 * genuine loop (stages, dispatcher, sandbox). Before the genuine answers exist it writes, for every request, a plain
 * provider error and, for Wise, a JWE encrypted to our public key (which anyone can do), plus answers for
 * requestIds never sent. After them it replays genuine answers verbatim, re-labels genuine answers with other
 * requestIds, and writes plain errors again. None of it may reach a result: every request ends exactly once, in
 * the results, with the genuine answer; every forgery is counted where it went.
 */
class ForgerIT {

    private static final int REQUESTS = 400;
    private static final int NEVER_SENT = 50;
    private static final List<String> PROVIDERS = List.of("juspay", "wise", "socure", "portone");
    private static final List<String> ACCOUNTS = List.of("default", "acme");

    @Test
    void aForgerWithWriteAccessToTheResponsesDecidesNothing() throws Exception {
        SandboxSettings settings = SandboxSettings.wellBehaved(TestKeys.sandboxKeys());
        try (TestBroker broker = TestBroker.start();
             ProviderSandbox sandbox = ProviderSandbox.start(ConfigLoader.defaults(), settings, Clock.systemUTC())) {
            PipelineConfig config = Engines.config(overlay(broker.bootstrapServers(), sandbox));
            PipelineTopics topics = broker.createTopics(config);
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            PipelineMetrics metrics = new PipelineMetrics(registry, config.providers().keySet());
            Map<String, PaymentRequest> requests = new HashMap<>();
            for (int i = 0; i < REQUESTS; i++) {
                PaymentRequest request = SampleRequests.forProvider(PROVIDERS.get(i % 4), ACCOUNTS.get((i / 4) % 2), "forged-" + i);
                requests.put(request.requestId(), request);
            }
            try (Engine engine = Engines.engine(config, Clock.systemUTC());
                 SealOpenStages stages = SealOpenStages.start(engine, engine.attestor(), topics, metrics, broker.connection(),
                         Files.createTempDirectory(Path.of("target"), "forger-state-"));
                 KafkaProducer<byte[], byte[]> platform = KafkaClients.producer(broker.bootstrapServers());
                 KafkaProducer<byte[], byte[]> forger = KafkaClients.producer(broker.bootstrapServers())) {
                Awaitility.await().atMost(Duration.ofMinutes(1)).until(stages::isRunning);
                for (PaymentRequest request : requests.values()) {
                    platform.send(new ProducerRecord<>(topics.requests().name(), key(request), Json.writeBytes(request)));
                }
                platform.flush();
                assertThat(KafkaClients.readUntilQuiet(broker.bootstrapServers(), List.of(topics.sealed().name()), REQUESTS,
                        Duration.ofSeconds(2), Duration.ofMinutes(2))).hasSize(REQUESTS);

                // Before: no genuine answer exists yet.
                int forgedBefore = 0;
                for (PaymentRequest request : requests.values()) {
                    forge(forger, topics, request, new ProviderResponse(request.requestId(), request.provider(), request.account(), 402,
                            Map.of(), "{\"status\":\"FAILED\"}", 1, now(), now()));
                    forgedBefore++;
                    if (request.provider().equals("wise")) {
                        forge(forger, topics, request, new ProviderResponse(request.requestId(), "wise", request.account(), 200,
                                Map.of(), encryptedToOurPublicKey(engine, request.account()), 1, now(), now()));
                        forgedBefore++;
                    }
                }
                for (int i = 0; i < NEVER_SENT; i++) {
                    PaymentRequest portone = SampleRequests.forProvider("portone", "default", "never-sent-" + i);
                    forge(forger, topics, portone, new ProviderResponse(portone.requestId(), "portone", "default", 200, Map.of(),
                            "{\"status\":\"PAID\"}", 1, now(), now()));
                    PaymentRequest wise = SampleRequests.forProvider("wise", "default", "never-sent-wise-" + i);
                    forge(forger, topics, wise, new ProviderResponse(wise.requestId(), "wise", "default", 200, Map.of(), "", 1, now(), now()));
                    forgedBefore += 2;
                }
                forger.flush();
                int refusedBefore = forgedBefore;
                Awaitility.await().atMost(Duration.ofMinutes(2)).until(() -> deadLettered(registry) >= refusedBefore);
                assertThat(KafkaClients.readUntilQuiet(broker.bootstrapServers(), List.of("payments.results"), 0,
                        Duration.ofSeconds(2), Duration.ofSeconds(30))).as("no forgery became a result").isEmpty();

                // The genuine answers: the dispatcher calls the sandbox.
                List<ConsumerRecord<byte[], byte[]>> genuine;
                try (Dispatcher dispatcher = Dispatcher.start(engine, engine.attestor(), topics, metrics, broker.connection())) {
                    genuine = KafkaClients.readUntilQuiet(broker.bootstrapServers(), List.of(topics.responses().name()),
                            forgedBefore + REQUESTS, Duration.ofSeconds(3), Duration.ofMinutes(3)).stream()
                            .filter(r -> r.headers().lastHeader(HeaderNames.ATTESTATION) != null).toList();
                }
                assertThat(genuine).hasSize(REQUESTS);

                // After: the forger replays what it read.
                int replayed = 0;
                int forgedAfter = 0;
                List<String> ids = new ArrayList<>(requests.keySet());
                for (int i = 0; i < genuine.size(); i++) {
                    ConsumerRecord<byte[], byte[]> answer = genuine.get(i);
                    if (i % 4 == 0) {
                        forger.send(new ProducerRecord<>(topics.responses().name(), answer.partition(), answer.key(), answer.value(),
                                answer.headers()));
                        replayed++;
                    } else if (i % 4 == 1) {
                        ProviderResponse original = Json.MAPPER.readValue(answer.value(), ProviderResponse.class);
                        PaymentRequest other = requests.get(ids.get((ids.indexOf(original.requestId()) + 1) % ids.size()));
                        ProviderResponse relabelled = new ProviderResponse(other.requestId(), other.provider(), other.account(),
                                original.httpStatus(), original.headers(), original.body(), original.attempts(),
                                original.dispatchedAt(), original.respondedAt());
                        forger.send(new ProducerRecord<>(topics.responses().name(), null, key(other), Json.writeBytes(relabelled),
                                answer.headers()));
                        forgedAfter++;
                    }
                }
                for (PaymentRequest request : requests.values()) {
                    forge(forger, topics, request, new ProviderResponse(request.requestId(), request.provider(), request.account(), 500,
                            Map.of(), "{\"error\":\"forged\"}", 1, now(), now()));
                    forgedAfter++;
                }
                forger.flush();
                int refusedInAll = forgedBefore + forgedAfter;
                int replays = replayed;
                Awaitility.await().atMost(Duration.ofMinutes(2)).until(() -> deadLettered(registry) >= refusedInAll
                        && duplicates(registry) >= replays);

                List<ConsumerRecord<byte[], byte[]>> results = KafkaClients.readUntilQuiet(broker.bootstrapServers(),
                        List.of("payments.results"), REQUESTS, Duration.ofSeconds(3), Duration.ofMinutes(2));
                List<ConsumerRecord<byte[], byte[]>> refused = KafkaClients.readUntilQuiet(broker.bootstrapServers(),
                        List.of(topics.dlqSignature().name(), topics.dlqDecryption().name(), topics.dlqRequest().name(),
                                topics.dlqDispatch().name()), refusedInAll, Duration.ofSeconds(3), Duration.ofMinutes(2));
                Map<String, Integer> reasons = new TreeMap<>();
                refused.forEach(r -> reasons.merge(r.topic() + " " + header(r, HeaderNames.ERROR_REASON), 1, Integer::sum));
                System.out.printf("ForgerIT: %d requests, %d forgeries before the genuine answers, %d after, %d verbatim replays; "
                                + "results %d, refused %s, duplicates dropped %.0f%n", REQUESTS, forgedBefore, forgedAfter, replayed,
                        results.size(), reasons, duplicates(registry));

                Map<String, PaymentResult> byId = new HashMap<>();
                for (ConsumerRecord<byte[], byte[]> record : results) {
                    PaymentResult result = Json.MAPPER.readValue(record.value(), PaymentResult.class);
                    assertThat(byId.put(result.requestId(), result)).as("one result for " + result.requestId()).isNull();
                    PaymentRequest request = requests.get(result.requestId());
                    assertThat(request).as("a result for a request that was sent: " + result.requestId()).isNotNull();
                    assertThat(result.outcome()).isEqualTo(PaymentResult.Outcome.SUCCEEDED);
                    assertThat(result.payload().get("idempotencyKey").asText())
                            .isEqualTo(IdempotencyKeys.of(request.provider(), request.account(), request.requestId()));
                    assertThat(result.verification()).isEqualTo(request.provider().equals("portone")
                            ? PaymentResult.Verification.TLS : PaymentResult.Verification.JOSE);
                }
                assertThat(byId.keySet()).containsExactlyInAnyOrderElementsOf(requests.keySet());
                assertThat(reasons).isEqualTo(Map.of(topics.dlqSignature().name() + " UNATTESTED", refusedInAll));
                assertThat(deadLettered(registry)).isEqualTo(refusedInAll);
                assertThat(duplicates(registry)).isEqualTo(replayed);
            }
        }
    }

    private static void forge(KafkaProducer<byte[], byte[]> forger, PipelineTopics topics, PaymentRequest request,
                              ProviderResponse response) {
        RecordHeaders headers = new RecordHeaders();
        headers.add(HeaderNames.REQUEST_ID, response.requestId().getBytes(StandardCharsets.UTF_8));
        headers.add(HeaderNames.PROVIDER, response.provider().getBytes(StandardCharsets.UTF_8));
        headers.add(HeaderNames.ACCOUNT, response.account().getBytes(StandardCharsets.UTF_8));
        forger.send(new ProducerRecord<>(topics.responses().name(), null, key(request), Json.writeBytes(response), headers));
    }

    /** What anyone can make: Wise answers carry no signature, and our public key is public. */
    private static String encryptedToOurPublicKey(Engine engine, String account) throws Exception {
        var ours = Engines.providerKeyset(engine, "wise", account).encryptionKey(null, Instant.now()).orElseThrow();
        return new JoseSealer(engine.backend()).encrypt(new JWEHeader.Builder(JWEAlgorithm.RSA_OAEP_256, EncryptionMethod.A256GCM)
                .keyID(ours.kid()).build(), "{\"status\":\"COMPLETED\"}".getBytes(StandardCharsets.UTF_8), ours, false).compact();
    }

    private static double deadLettered(SimpleMeterRegistry registry) {
        return registry.find("jps.dlq.records").counters().stream().mapToDouble(c -> c.count()).sum();
    }

    private static double duplicates(SimpleMeterRegistry registry) {
        return registry.find("jps.duplicate.answers").counters().stream().mapToDouble(c -> c.count()).sum();
    }

    private static byte[] key(PaymentRequest request) {
        return request.recordKey().getBytes(StandardCharsets.UTF_8);
    }

    private static long now() {
        return System.currentTimeMillis();
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        var header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private static String overlay(String bootstrapServers, ProviderSandbox sandbox) {
        StringBuilder yaml = new StringBuilder("bootstrapServers: ").append(bootstrapServers).append('\n')
                .append("applicationId: forger-it\ndispatcher: {groupId: forger-it-dispatcher}\nproviders:\n");
        for (String provider : PROVIDERS) {
            yaml.append("  ").append(provider).append(":\n    baseUrl: ").append(sandbox.baseUrl(provider)).append('\n')
                    .append("    allowPlainHttp: true\n")
                    .append("    dispatch: {rateLimit: 0}\n");
        }
        return yaml.toString();
    }
}
