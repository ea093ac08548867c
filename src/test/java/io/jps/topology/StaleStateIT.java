package io.jps.topology;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.jps.config.PipelineConfig;
import io.jps.engine.Engine;
import io.jps.observe.PipelineMetrics;
import io.jps.record.Json;
import io.jps.record.PaymentRequest;
import io.jps.support.Engines;
import io.jps.support.KafkaClients;
import io.jps.support.ProviderPlayer.Answer;
import io.jps.support.ProviderPlayer;
import io.jps.support.Requests;
import io.jps.support.TestBroker;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * What an operator does after rebuilding a test cluster, or what a state volume that outlives its cluster does: the
 * same batch run twice, the cluster recreated in between, the state directory kept. On the new cluster another
 * instance (a fresh volume) has run first, so its changelogs are already longer than the stale checkpoints and
 * Kafka Streams sees nothing wrong with them: it would restore on top of the stale stores and take the whole batch
 * for duplicates. The stale directory must be rebuilt and every request get its result; a later run on the same
 * cluster keeps its state, and the batch resubmitted once more is refused as duplicates, paying nobody twice.
 */
class StaleStateIT {

    private static final int REQUESTS = 400;
    /** Enough more than {@link #REQUESTS} that every changelog partition outgrows the stale checkpoints. */
    private static final int OTHER_REQUESTS = 3 * REQUESTS;
    private static final List<String> PROVIDERS = List.of("juspay", "wise", "socure", "portone");

    @Test
    void aStateDirectoryFromAnotherClusterIsRebuiltAndOneFromThisClusterIsKept() throws Exception {
        Path stateDir = Files.createTempDirectory(Path.of("target"), "stale-state-");
        ListAppender<ILoggingEvent> logs = new ListAppender<>();
        logs.start();
        Logger stagesLog = (Logger) LoggerFactory.getLogger(SealOpenStages.class);
        stagesLog.addAppender(logs);
        try {
            try (TestBroker first = TestBroker.start()) {
                Outcome run = runBatch(first, stateDir, "stale-", REQUESTS, true, REQUESTS);
                assertThat(run.results()).hasSize(REQUESTS);
            }
            assertThat(wipes(logs)).isEmpty();

            try (TestBroker second = TestBroker.start()) {
                Path freshVolume = Files.createTempDirectory(Path.of("target"), "fresh-state-");
                assertThat(runBatch(second, freshVolume, "other-", OTHER_REQUESTS, true, OTHER_REQUESTS).results()).hasSize(OTHER_REQUESTS);
                assertThat(wipes(logs)).isEmpty();

                Outcome rebuilt = runBatch(second, stateDir, "stale-", REQUESTS, true, OTHER_REQUESTS + REQUESTS);
                System.out.printf("StaleStateIT: second cluster, same state directory: %d results, %d duplicates refused%n",
                        rebuilt.results().size(), rebuilt.duplicates().size());
                assertThat(rebuilt.duplicates()).as("requests taken for duplicates by stale state").isEmpty();
                assertThat(rebuilt.results()).hasSize(OTHER_REQUESTS + REQUESTS);
                assertThat(wipes(logs)).hasSize(1).first().asString().contains("was built from cluster");

                Outcome resubmitted = runBatch(second, stateDir, "stale-", REQUESTS, false, OTHER_REQUESTS + 2 * REQUESTS);
                assertThat(wipes(logs)).as("same cluster: kept").hasSize(1);
                assertThat(resubmitted.duplicates()).hasSize(REQUESTS);
                assertThat(resubmitted.results()).as("nothing sealed, so no new results").hasSize(OTHER_REQUESTS + REQUESTS);
            }
        } finally {
            stagesLog.detachAppender(logs);
        }
    }

    /** The results and DUPLICATE_REQUEST dead letters on the cluster after one run. */
    private record Outcome(Set<String> results, Set<String> duplicates) {
    }

    /**
     * Runs a batch of {@code count} requests and returns every result on the cluster so far and the DUPLICATE_REQUEST
     * dead letters, read until {@code expected} such records are there and no more come.
     */
    private static Outcome runBatch(TestBroker broker, Path stateDir, String prefix, int count, boolean answer, int expected)
            throws Exception {
        PipelineConfig config = Engines.config("bootstrapServers: " + broker.bootstrapServers() + "\napplicationId: stale-state-it\n");
        PipelineTopics topics = broker.createTopics(config);
        try (Engine engine = Engines.engine(config, Clock.systemUTC());
             SealOpenStages stages = SealOpenStages.start(engine, engine.attestor(), topics,
                     new PipelineMetrics(new SimpleMeterRegistry(), config.providers().keySet()), broker.connection(), stateDir);
             KafkaProducer<byte[], byte[]> producer = KafkaClients.producer(broker.bootstrapServers())) {
            Awaitility.await().atMost(Duration.ofMinutes(1)).until(stages::isRunning);
            for (int i = 0; i < count; i++) {
                PaymentRequest request = Requests.typical(PROVIDERS.get(i % 4), "default", prefix + i);
                producer.send(new ProducerRecord<>(topics.requests().name(), request.recordKey().getBytes(StandardCharsets.UTF_8),
                        Json.writeBytes(request)));
            }
            producer.flush();
            if (answer) {
                answerEverySealedRequest(engine, topics, producer, prefix, count);
            }
            List<ConsumerRecord<byte[], byte[]>> outcomes = KafkaClients.readUntilQuiet(broker.bootstrapServers(),
                    List.of("payments.results", topics.dlqRequest().name()), expected,
                    Duration.ofSeconds(3), Duration.ofMinutes(2));
            return new Outcome(idsOn(outcomes, "payments.results"), outcomes.stream()
                    .filter(r -> r.topic().equals(topics.dlqRequest().name()))
                    .filter(r -> "DUPLICATE_REQUEST".equals(ProviderPlayer.header(r, HeaderNames.ERROR_REASON)))
                    .map(ProviderPlayer::requestId).collect(Collectors.toSet()));
        }
    }

    private static void answerEverySealedRequest(Engine engine, PipelineTopics topics, KafkaProducer<byte[], byte[]> producer,
                                                 String prefix, int count) throws Exception {
        ProviderPlayer player = new ProviderPlayer(engine, topics.responses().name());
        Set<String> answered = new HashSet<>();
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        try (KafkaConsumer<byte[], byte[]> sealed = KafkaClients.consumer(engine.config().bootstrapServers(),
                List.of(topics.sealed().name()))) {
            while (answered.size() < count && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> record : sealed.poll(Duration.ofMillis(200))) {
                    String id = ProviderPlayer.requestId(record);
                    if (id.startsWith(prefix) && answered.add(id)) {
                        producer.send(player.answer(record, Answer.VALID));
                    }
                }
            }
        }
        producer.flush();
    }

    private static Set<String> idsOn(List<ConsumerRecord<byte[], byte[]>> records, String topic) {
        return records.stream().filter(r -> r.topic().equals(topic)).map(ProviderPlayer::requestId).collect(Collectors.toSet());
    }

    private static List<String> wipes(ListAppender<ILoggingEvent> logs) {
        return logs.list.stream().map(ILoggingEvent::getFormattedMessage).filter(m -> m.contains("wiping it")).toList();
    }
}
