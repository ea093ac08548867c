package io.jps.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import io.jps.config.ConfigLoader;
import io.jps.record.Json;
import io.jps.record.SealedRequest;
import io.jps.sandbox.ProviderSandbox;
import io.jps.sandbox.SandboxSettings;
import io.jps.support.KafkaClients;
import io.jps.support.Requests;
import io.jps.support.TestBroker;
import io.jps.support.TestKeys;
import io.jps.topology.HeaderNames;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

/**
 * Records written straight onto the sealed topic, by anyone with write access, try to steer the dispatcher (and the
 * credentials it adds) elsewhere. Each lands in the dispatch dead-letter topic as REQUEST_NOT_ALLOWED and reaches
 * no server: not the attacker's, which counts every hit, and not the provider's. Wise goes to the sandbox (a base URL
 * with a path), PortOne to a provider at the root of its host, where {@code baseUrl + path} as a string would have
 * turned {@code @host:port/x} into another authority.
 */
class DispatcherSteeringIT {

    /** More than one poll brings, all on one key: each is dead-lettered without a call, one after another. */
    private static final int FLOOD = 2_000;

    @Test
    void noSteeringAttemptReachesAnyServerAndEachIsDeadLetteredAsNotAllowed() throws Exception {
        try (TestBroker broker = TestBroker.start();
             ScriptedProvider attacker = new ScriptedProvider();
             ScriptedProvider portone = new ScriptedProvider();
             ProviderSandbox sandbox = ProviderSandbox.start(ConfigLoader.defaults(), SandboxSettings.wellBehaved(TestKeys.sandboxKeys()),
                     Clock.systemUTC());
             DispatcherFixture fixture = new DispatcherFixture(broker, "steering",
                     "  wise:\n    baseUrl: " + sandbox.baseUrl("wise") + "\n    allowPlainHttp: true\n"
                             + "  portone:\n    baseUrl: " + portone.baseUrl() + "\n    allowPlainHttp: true\n")) {
            String elsewhere = "127.0.0.1:" + attacker.port();
            Map<String, String> attacks = new LinkedHashMap<>();
            Map<String, String> expected = new HashMap<>();
            for (String provider : List.of("wise", "portone")) {
                SealedRequest genuine = fixture.engine.sealer().seal(Requests.typical(provider, "default", provider + "-genuine")).request();
                fixture.sendSealed(genuine, genuine.requestId());
                expected.put(genuine.requestId(), "responses");
                int i = 0;
                for (String path : List.of(".attacker.example/x", "@" + elsewhere + "/x", "//" + elsewhere + "/x", "/v1/../../x",
                        "/v1/.%2e/x", "/v1/%2e./x", "/v1/..;/x", "/v1/%2e%2e%2fx")) {
                    attacks.put(send(fixture, genuine, provider + "-path-" + i++, genuine.method(), path, genuine.headers()),
                            "path " + path);
                }
                Map<String, String> withHost = new HashMap<>(genuine.headers());
                withHost.put("Host", elsewhere);
                attacks.put(send(fixture, genuine, provider + "-host", genuine.method(), genuine.path(), withHost), "Host header");
                Map<String, String> forwarded = new HashMap<>(genuine.headers());
                forwarded.put("X-Forwarded-Host", elsewhere);
                attacks.put(send(fixture, genuine, provider + "-forwarded", genuine.method(), genuine.path(), forwarded),
                        "foreign header");
                attacks.put(send(fixture, genuine, provider + "-trace", "TRACE", genuine.path(), genuine.headers()), "method TRACE");
            }
            attacks.keySet().forEach(id -> expected.put(id, "dlq.dispatch"));

            List<ConsumerRecord<byte[], byte[]>> outcomes = fixture.awaitOutcomes(expected.size());

            Map<String, List<String>> endings = outcomes.stream().collect(Collectors.groupingBy(
                    r -> DispatcherFixture.header(r, HeaderNames.REQUEST_ID),
                    Collectors.mapping(r -> r.topic().substring("steering.".length()), Collectors.toList())));
            expected.forEach((id, topic) -> assertThat(endings.get(id)).as(id).containsExactly(topic));
            assertThat(outcomes).filteredOn(r -> r.topic().endsWith("dlq.dispatch")).allSatisfy(letter -> {
                assertThat(DispatcherFixture.header(letter, HeaderNames.ERROR_REASON)).isEqualTo("REQUEST_NOT_ALLOWED");
                assertThat(DispatcherFixture.header(letter, HeaderNames.ERROR_MESSAGE)).isNotBlank()
                        .doesNotContain(TestKeys.secret("wise", "api-token"));
            });

            assertThat(attacker.received()).as("hits on the attacker's server").isEmpty();
            assertThat(portone.received()).extracting(ScriptedProvider.Received::path).containsExactly("/api/paymentLink");
            assertThat(sandbox.stats("wise").received()).as("requests the sandbox got for Wise").isEqualTo(1);
            for (String id : attacks.keySet()) {
                String provider = id.substring(0, id.indexOf('-'));
                assertThat(sandbox.attempts(IdempotencyKeys.of(provider, "default", id))).as(attacks.get(id)).isEmpty();
            }
        }
    }

    @Test
    void deadLettersAFloodOfUnsendableRecordsOnOneKeyAndCarriesOn() throws Exception {
        try (TestBroker broker = TestBroker.start();
             ScriptedProvider portone = new ScriptedProvider();
             DispatcherFixture fixture = new DispatcherFixture(broker, "flood",
                     "  portone:\n    baseUrl: " + portone.baseUrl() + "\n    allowPlainHttp: true\n")) {
            SealedRequest genuine = fixture.engine.sealer().seal(Requests.typical("portone", "default", "flood-genuine")).request();
            try (KafkaProducer<byte[], byte[]> producer = KafkaClients.producer(broker.bootstrapServers())) {
                for (int i = 0; i < FLOOD; i++) {
                    SealedRequest steering = new SealedRequest("flood-" + i, "portone", "default", "POST", "@attacker/x",
                            genuine.headers(), genuine.body(), genuine.sealedAt());
                    producer.send(new ProducerRecord<>(fixture.topics.sealed().name(), "one-key".getBytes(StandardCharsets.UTF_8),
                            Json.writeBytes(steering)));
                }
            }
            fixture.sendSealed(genuine, "one-key");

            List<ConsumerRecord<byte[], byte[]>> outcomes = fixture.awaitOutcomes(FLOOD + 1, Duration.ofMinutes(3));

            assertThat(outcomes).filteredOn(r -> r.topic().equals("flood.dlq.dispatch")).hasSize(FLOOD);
            assertThat(portone.received()).hasSize(1);
            assertThat(fixture.dispatcher.isAlive()).isTrue();
        }
    }

    private static String send(DispatcherFixture fixture, SealedRequest genuine, String requestId, String method, String path,
                               Map<String, String> headers) throws Exception {
        fixture.sendSealed(new SealedRequest(requestId, genuine.provider(), genuine.account(), method, path, headers,
                genuine.body(), genuine.sealedAt()), requestId);
        return requestId;
    }
}
