package io.jps.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.jps.observe.PipelineMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.errors.ProductionExceptionHandler;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.processor.api.Record;
import org.junit.jupiter.api.Test;

/** Kafka Streams' error hooks: the failed record's original bytes go to its stage's dead-letter topic, and nothing else. */
class DeadLetterHandlerTest {

    private static final byte[] KEY = "ord_77".getBytes(StandardCharsets.UTF_8);
    private static final byte[] VALUE = "{\"requestId\":\"r-9\",\"provider\":\"juspay\",\"account\":\"default\"}"
            .getBytes(StandardCharsets.UTF_8);

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final DeadLetterHandler handler = new DeadLetterHandler();

    DeadLetterHandlerTest() {
        handler.configure(Map.of(
                DeadLetterHandler.ROUTES, "payments.requests=payments.dlq.request:SEAL,payments.responses=payments.dlq.decryption:OPEN",
                DeadLetterHandler.METRICS, new PipelineMetrics(registry, Set.of("juspay"))));
    }

    @Test
    void sendsAnUnexpectedProcessingErrorsSourceRecordToTheStagesDeadLetterTopicWithoutTheExceptionMessage() {
        var response = handler.handleError(context("payments.requests"), new Record<>("k", "v", 0L),
                new IllegalStateException("card 4111111111111111 broke something"));

        assertThat(response.result()).isEqualTo(ProcessingExceptionHandler.Result.RESUME);
        ProducerRecord<byte[], byte[]> letter = response.deadLetterQueueRecords().get(0);
        assertThat(letter.topic()).isEqualTo("payments.dlq.request");
        assertThat(letter.key()).isEqualTo(KEY);
        assertThat(letter.value()).isEqualTo(VALUE);
        assertThat(header(letter.headers(), HeaderNames.ERROR_REASON)).isEqualTo("PROCESSING_FAILED");
        assertThat(header(letter.headers(), HeaderNames.ERROR_STAGE)).isEqualTo("seal");
        assertThat(header(letter.headers(), HeaderNames.ERROR_MESSAGE)).contains("IllegalStateException")
                .doesNotContain("4111");
        assertThat(header(letter.headers(), HeaderNames.ERROR_SOURCE_OFFSET)).isEqualTo("42");
        assertThat(header(letter.headers(), HeaderNames.REQUEST_ID)).isEqualTo("r-9");
        assertThat(counted("payments.dlq.request", "PROCESSING_FAILED")).isEqualTo(1);
    }

    @Test
    void sendsAnUnreadableRecordToTheDeadLetterTopicAsMalformed() {
        var record = new ConsumerRecord<>("payments.responses", 3, 42L, KEY, VALUE);

        var response = handler.handleError(context("payments.responses"), record, new RuntimeException("boom"));

        assertThat(response.result()).isEqualTo(DeserializationExceptionHandler.Result.RESUME);
        ProducerRecord<byte[], byte[]> letter = response.deadLetterQueueRecords().get(0);
        assertThat(letter.topic()).isEqualTo("payments.dlq.decryption");
        assertThat(header(letter.headers(), HeaderNames.ERROR_REASON)).isEqualTo("MALFORMED");
        assertThat(header(letter.headers(), HeaderNames.ERROR_STAGE)).isEqualTo("open");
        assertThat(counted("payments.dlq.decryption", "MALFORMED")).isEqualTo(1);
    }

    @Test
    void sendsARecordTooLargeToWriteToTheDeadLetterTopicAsOversized() {
        var response = handler.handleError(context("payments.requests"),
                new ProducerRecord<>("payments.sealed", KEY, new byte[10]), new RecordTooLargeException("too big"));

        assertThat(response.result()).isEqualTo(ProductionExceptionHandler.Result.RESUME);
        assertThat(header(response.deadLetterQueueRecords().get(0).headers(), HeaderNames.ERROR_REASON)).isEqualTo("OVERSIZED");
        assertThat(response.deadLetterQueueRecords().get(0).value()).isEqualTo(VALUE);
        assertThat(counted("payments.dlq.request", "OVERSIZED")).isEqualTo(1);
    }

    @Test
    void retriesTransientProductionErrorsAndStopsWhenADeadLetterItselfCannotBeWritten() {
        assertThat(handler.handleError(context("payments.requests"), new ProducerRecord<>("payments.sealed", KEY, VALUE),
                new TimeoutException("slow")).result()).isEqualTo(ProductionExceptionHandler.Result.RETRY);
        assertThat(handler.handleError(context("payments.requests"), new ProducerRecord<>("payments.dlq.request", KEY, VALUE),
                new RecordTooLargeException("x")).result()).isEqualTo(ProductionExceptionHandler.Result.FAIL);
    }

    @Test
    void stopsRatherThanDropARecordFromATopicWithoutADeadLetterRoute() {
        var response = handler.handleError(context("elsewhere"), new Record<>("k", "v", 0L), new IllegalStateException());

        assertThat(response.result()).isEqualTo(ProcessingExceptionHandler.Result.FAIL);
    }

    private double counted(String topic, String reason) {
        var counter = registry.find("jps.dlq.records").tag("topic", topic).tag("reason", reason).counter();
        return counter == null ? 0 : counter.count();
    }

    private static String header(Headers headers, String name) {
        var header = headers.lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private static ErrorHandlerContext context(String topic) {
        return new ErrorHandlerContext() {
            public String topic() { return topic; }
            public int partition() { return 3; }
            public long offset() { return 42L; }
            public Headers headers() { return new RecordHeaders(); }
            public String processorNodeId() { return "seal"; }
            public TaskId taskId() { return new TaskId(0, 3); }
            public long timestamp() { return 0L; }
            public byte[] sourceRawKey() { return KEY; }
            public byte[] sourceRawValue() { return VALUE; }
        };
    }
}
