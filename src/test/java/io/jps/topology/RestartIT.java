package io.jps.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.jps.config.PipelineConfig;
import io.jps.engine.Engine;
import io.jps.observe.PipelineMetrics;
import io.jps.record.Json;
import io.jps.record.PaymentRequest;
import io.jps.support.Engines;
import io.jps.support.KafkaClients;
import io.jps.support.ProviderPlayer;
import io.jps.support.Requests;
import io.jps.support.TestBroker;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * Stops the stages halfway through the answers and starts them again on an empty state directory, so the
 * store of sent requests must come back from its changelog; answers already decided are then delivered again.
 * Still exactly one result per request.
 */
class RestartIT {

    private static final int REQUESTS = 600;
    private static final List<String> PROVIDERS = List.of("juspay", "wise", "socure", "portone");

    @Test
    void stillOneResultPerRequestAfterARestartMidwayAndRedeliveredAnswers() throws Exception {
        try (TestBroker broker = TestBroker.start();
             KafkaProducer<byte[], byte[]> producer = KafkaClients.producer(broker.bootstrapServers())) {
            PipelineConfig config = Engines.config("bootstrapServers: " + broker.bootstrapServers() + "\napplicationId: restart-it\n");
            PipelineTopics topics = broker.createTopics(config);
            try (Engine engine = Engines.engine(config, Clock.systemUTC())) {
                PipelineMetrics metrics = new PipelineMetrics(new SimpleMeterRegistry(), config.providers().keySet());
                List<ProducerRecord<byte[], byte[]>> answers;
                try (SealOpenStages first = SealOpenStages.start(engine, engine.attestor(), topics, metrics, broker.connection(),
                        stateDir())) {
                    Awaitility.await().atMost(Duration.ofMinutes(1)).until(first::isRunning);
                    for (int i = 0; i < REQUESTS; i++) {
                        PaymentRequest request = Requests.typical(PROVIDERS.get(i % 4), i % 3 == 0 ? "acme" : "default", "rs-" + i);
                        producer.send(new ProducerRecord<>(topics.requests().name(),
                                request.recordKey().getBytes(StandardCharsets.UTF_8), Json.writeBytes(request)));
                    }
                    producer.flush();
                    answers = answersToEverySealedRequest(engine, topics, broker.bootstrapServers());
                    // Halfway: the first half of the answers is in, the stages stop.
                    answers.subList(0, REQUESTS / 2).forEach(producer::send);
                    producer.flush();
                    System.out.println("RestartIT: first half answered at " + elapsed());
                    Awaitility.await().atMost(Duration.ofMinutes(2)).until(() ->
                            resultsById(broker.bootstrapServers(), REQUESTS / 4, Duration.ofSeconds(1)).size() >= REQUESTS / 4);
                    System.out.println("RestartIT: a quarter opened at " + elapsed());
                }
                System.out.println("RestartIT: first stages closed at " + elapsed());

                try (SealOpenStages second = SealOpenStages.start(engine, engine.attestor(), topics, metrics, broker.connection(),
                        stateDir())) {
                    Awaitility.await().atMost(Duration.ofMinutes(1)).until(second::isRunning);
                    System.out.println("RestartIT: second stages running at " + elapsed());
                    answers.subList(REQUESTS / 2, REQUESTS).forEach(producer::send);
                    // Every answer of the first half once more, as an at-least-once dispatcher might after a crash.
                    answers.subList(0, REQUESTS / 2).forEach(producer::send);
                    producer.flush();
                    Map<String, Integer> results = resultsById(broker.bootstrapServers(), REQUESTS, Duration.ofSeconds(4));

                    System.out.println("RestartIT: all results read at " + elapsed());
                    assertThat(results).hasSize(REQUESTS);
                    assertThat(results.values()).allMatch(count -> count == 1);
                }
            }
        }
    }

    private static List<ProducerRecord<byte[], byte[]>> answersToEverySealedRequest(Engine engine, PipelineTopics topics,
                                                                                    String bootstrapServers) throws Exception {
        ProviderPlayer player = new ProviderPlayer(engine, topics.responses().name());
        List<ProducerRecord<byte[], byte[]>> answers = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        try (KafkaConsumer<byte[], byte[]> sealed = KafkaClients.consumer(bootstrapServers, List.of(topics.sealed().name()))) {
            while (answers.size() < REQUESTS && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> record : sealed.poll(Duration.ofMillis(200))) {
                    answers.add(player.answer(record, ProviderPlayer.Answer.VALID));
                }
            }
        }
        assertThat(answers).hasSize(REQUESTS);
        return answers;
    }

    private static Map<String, Integer> resultsById(String bootstrapServers, int expected, Duration quiet) {
        Map<String, Integer> counts = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> record : KafkaClients.readUntilQuiet(bootstrapServers, List.of("payments.results"),
                expected, quiet, Duration.ofMinutes(2))) {
            counts.merge(ProviderPlayer.requestId(record), 1, Integer::sum);
        }
        return counts;
    }

    private static final long STARTED = System.nanoTime();

    private static String elapsed() {
        return (System.nanoTime() - STARTED) / 1_000_000 + " ms";
    }

    private static Path stateDir() throws java.io.IOException {
        Files.createDirectories(Path.of("target"));
        return Files.createTempDirectory(Path.of("target"), "streams-restart-");
    }
}
