package io.jps.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import io.jps.bench.SampleRequests;
import io.jps.config.ConfigLoader;
import io.jps.record.Json;
import io.jps.record.ProviderResponse;
import io.jps.sandbox.FaultRates;
import io.jps.sandbox.ProviderSandbox;
import io.jps.sandbox.SandboxSettings;
import io.jps.support.KafkaClients;
import io.jps.support.TestBroker;
import io.jps.support.TestKeys;
import io.jps.topology.HeaderNames;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * Every provider down for 30 s (the sandbox stopped, connections refused) in the middle of a batch, then back on the
 * same port. The circuits open and the waiting requests keep their attempts, so with the shipped time budget
 * (dispatch.maxTotalTime) every request ends as the provider's answer and none as a dead letter. Each provider's
 * circuit opens once and closes once.
 */
class ProviderOutageIT {

    private static final List<String> PROVIDERS = List.of("juspay", "wise", "socure", "portone");
    private static final int PER_HALF = 100;
    private static final Duration OUTAGE = Duration.ofSeconds(30);

    @Test
    void aThirtySecondOutageDeadLettersNothingWhoseBudgetAllowsWaiting() throws Exception {
        int port = freePort();
        StringBuilder providers = new StringBuilder();
        try (TestBroker broker = TestBroker.start()) {
            ProviderSandbox sandbox = sandbox(port);
            for (String provider : PROVIDERS) {
                providers.append("  ").append(provider).append(":\n    baseUrl: ").append(sandbox.baseUrl(provider)).append('\n')
                        .append("    allowPlainHttp: true\n");
            }
            try (DispatcherFixture fixture = new DispatcherFixture(broker, "outage", providers.toString());
                 Outcomes outcomes = new Outcomes(fixture, broker)) {
                for (int i = 0; i < PER_HALF; i++) {
                    fixture.send(SampleRequests.forProvider(PROVIDERS.get(i % 4), "default", "outage-" + i));
                }
                outcomes.awaitAtLeast(PER_HALF / 3);
                sandbox.close();
                for (int i = PER_HALF; i < 2 * PER_HALF; i++) {
                    fixture.send(SampleRequests.forProvider(PROVIDERS.get(i % 4), "default", "outage-" + i));
                }
                Awaitility.await().atMost(OUTAGE).until(() -> PROVIDERS.stream().allMatch(p -> state(fixture, p) == 2));
                // the outage itself: what the provider's downtime is, not a bound on how long anything takes
                Thread.sleep(OUTAGE.toMillis());
                sandbox = sandbox(port);
                try {
                    outcomes.awaitAtLeast(2 * PER_HALF);
                    outcomes.awaitQuiet(Duration.ofSeconds(2));
                } finally {
                    sandbox.close();
                }

                Map<String, List<ConsumerRecord<byte[], byte[]>>> byId = outcomes.records.stream()
                        .collect(Collectors.groupingBy(r -> DispatcherFixture.header(r, HeaderNames.REQUEST_ID)));
                assertThat(byId).hasSize(2 * PER_HALF);
                for (var ending : byId.entrySet()) {
                    ConsumerRecord<byte[], byte[]> only = ending.getValue().get(0);
                    assertThat(ending.getValue()).as(ending.getKey()).hasSize(1);
                    assertThat(only.topic()).as(ending.getKey() + ": " + DispatcherFixture.header(only, HeaderNames.ERROR_MESSAGE))
                            .isEqualTo("outage.responses");
                    assertThat(Json.MAPPER.readValue(only.value(), ProviderResponse.class).httpStatus()).isEqualTo(200);
                }
                for (String provider : PROVIDERS) {
                    assertThat(transitions(fixture, provider, "closed", "open")).as(provider + " opened").isEqualTo(1);
                    assertThat(transitions(fixture, provider, "half_open", "closed")).as(provider + " closed").isEqualTo(1);
                    assertThat(state(fixture, provider)).as(provider + " now").isZero();
                }
            }
        }
    }

    private static ProviderSandbox sandbox(int port) throws IOException {
        SandboxSettings wellBehaved = SandboxSettings.wellBehaved(TestKeys.sandboxKeys());
        return ProviderSandbox.start(ConfigLoader.defaults(), new SandboxSettings(wellBehaved.keysDir(), SandboxSettings.LOOPBACK, port, 0, FaultRates.NONE,
                0, wellBehaved.latency(), wellBehaved.hangTime(), wellBehaved.retryAfter()), Clock.systemUTC());
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static double state(DispatcherFixture fixture, String provider) {
        return fixture.registry.get("jps.provider.circuit.state").tag("provider", provider).gauge().value();
    }

    private static double transitions(DispatcherFixture fixture, String provider, String from, String to) {
        var counter = fixture.registry.find("jps.provider.circuit.transitions").tag("provider", provider).tag("from", from)
                .tag("to", to).counter();
        return counter == null ? 0 : counter.count();
    }

    /** Everything that arrives on the response and dispatch dead-letter topics, read as it comes. */
    private static final class Outcomes implements AutoCloseable {
        final List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        private final KafkaConsumer<byte[], byte[]> consumer;

        Outcomes(DispatcherFixture fixture, TestBroker broker) {
            consumer = KafkaClients.consumer(broker.bootstrapServers(),
                    List.of(fixture.topics.responses().name(), fixture.topics.dlqDispatch().name()));
        }

        void awaitAtLeast(int count) {
            long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
            while (records.size() < count && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }

        void awaitQuiet(Duration quiet) {
            long last = System.nanoTime();
            while (System.nanoTime() - last < quiet.toNanos()) {
                var batch = consumer.poll(Duration.ofMillis(200));
                if (!batch.isEmpty()) {
                    batch.forEach(records::add);
                    last = System.nanoTime();
                }
            }
        }

        @Override
        public void close() {
            consumer.close();
        }
    }
}
