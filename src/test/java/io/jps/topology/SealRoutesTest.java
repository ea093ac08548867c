package io.jps.topology;

import static io.jps.support.PipelineDriver.header;
import static io.jps.support.PipelineDriver.text;
import static org.assertj.core.api.Assertions.assertThat;

import io.jps.record.Json;
import io.jps.record.PaymentRequest;
import io.jps.record.SealedRequest;
import io.jps.support.PipelineDriver;
import io.jps.support.Requests;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** payments.requests -> SEAL -> payments.sealed | payments.dlq.request, one route per test. */
class SealRoutesTest {

    private final PipelineDriver pipeline = new PipelineDriver();

    @AfterEach
    void close() {
        pipeline.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"juspay", "wise", "socure", "portone"})
    void sealsEachProvidersRequestOntoTheSealedTopicWithoutCredentials(String provider) throws Exception {
        PaymentRequest request = Requests.typical(provider, "default", "r-" + provider);

        pipeline.sendRequest(request);

        List<TestRecord<byte[], byte[]>> sealed = pipeline.drain(pipeline.topics.sealed().name());
        assertThat(sealed).hasSize(1);
        TestRecord<byte[], byte[]> record = sealed.get(0);
        assertThat(text(record.key())).isEqualTo(request.recordKey());
        assertThat(header(record, HeaderNames.REQUEST_ID)).isEqualTo(request.requestId());
        assertThat(header(record, HeaderNames.PROVIDER)).isEqualTo(provider);
        assertThat(header(record, HeaderNames.ACCOUNT)).isEqualTo("default");
        SealedRequest value = Json.MAPPER.readValue(record.value(), SealedRequest.class);
        assertThat(pipeline.attestor.verifies(value, header(record, HeaderNames.ATTESTATION))).isTrue();
        assertThat(value.requestId()).isEqualTo(request.requestId());
        assertThat(value.headers().keySet()).noneMatch(name -> name.equalsIgnoreCase("Authorization"));
        assertThat(text(record.value())).doesNotContain("Bearer");
        assertThat(pipeline.drain(pipeline.topics.dlqRequest().name())).isEmpty();
    }

    @Test
    void keysSealedRecordsByTheRequestKeySoAPaymentAndItsRefundsStayInOrder() {
        pipeline.sendRequest(Requests.typical("juspay", "default", "r-1"));
        pipeline.sendRequest(Requests.typical("juspay", "default", "r-2"));

        assertThat(pipeline.drain(pipeline.topics.sealed().name())).extracting(r -> text(r.key()))
                .containsExactly("ord_77", "ord_77");
    }

    @Test
    void routesEveryKindOfBadRequestToTheRequestDeadLetterTopicWithItsReason() {
        Map<String, String> expected = new java.util.LinkedHashMap<>();
        expected.put("\u00ff\u00fe not utf-8", "MALFORMED");
        expected.put("not json at all", "MALFORMED");
        expected.put("{\"provider\":\"juspay\",\"payload\":{}}", "MALFORMED");
        expected.put("{\"requestId\":\"r-p\",\"provider\":\"stripe\",\"payload\":{}}", "UNKNOWN_PROVIDER");
        expected.put("{\"requestId\":\"r-a\",\"provider\":\"juspay\",\"account\":\"ghost\",\"operation\":\"refund\","
                + "\"payload\":{\"order_id\":\"o\"}}", "UNKNOWN_ACCOUNT");
        expected.put("{\"requestId\":\"r-o\",\"provider\":\"juspay\",\"operation\":\"teleport\",\"payload\":{}}", "UNKNOWN_OPERATION");
        expected.put("{\"requestId\":\"r-big\",\"provider\":\"wise\",\"payload\":{\"x\":\"" + "a".repeat(1_100_000) + "\"}}",
                "OVERSIZED");

        int offset = 0;
        for (Map.Entry<String, String> input : expected.entrySet()) {
            byte[] value = input.getKey().startsWith("\u00ff")
                    ? new byte[] {(byte) 0xff, (byte) 0xfe, 0x20, 0x6e}
                    : input.getKey().getBytes(StandardCharsets.UTF_8);
            RecordHeaders headers = new RecordHeaders();
            headers.add("traceparent", "00-abc-def-01".getBytes(StandardCharsets.UTF_8));
            pipeline.sendRaw(pipeline.topics.requests().name(), ("k" + offset).getBytes(StandardCharsets.UTF_8), value, headers);

            List<TestRecord<byte[], byte[]>> dead = pipeline.drain(pipeline.topics.dlqRequest().name());
            assertThat(dead).as(input.getValue()).hasSize(1);
            TestRecord<byte[], byte[]> letter = dead.get(0);
            assertThat(header(letter, HeaderNames.ERROR_REASON)).isEqualTo(input.getValue());
            assertThat(header(letter, HeaderNames.ERROR_STAGE)).isEqualTo("seal");
            assertThat(header(letter, HeaderNames.ERROR_MESSAGE)).isNotBlank();
            assertThat(header(letter, HeaderNames.ERROR_SOURCE_TOPIC)).isEqualTo("payments.requests");
            assertThat(header(letter, HeaderNames.ERROR_SOURCE_PARTITION)).isEqualTo("0");
            assertThat(header(letter, HeaderNames.ERROR_SOURCE_OFFSET)).isEqualTo(String.valueOf(offset));
            assertThat(header(letter, "traceparent")).isEqualTo("00-abc-def-01");
            assertThat(letter.value()).isEqualTo(value);
            assertThat(text(letter.key())).isEqualTo("k" + offset);
            offset++;
        }
        assertThat(pipeline.drain(pipeline.topics.sealed().name())).isEmpty();
        assertThat(pipeline.registry.find("jps.seals").tag("outcome", "refused").counters().stream()
                .mapToDouble(c -> c.count()).sum()).isEqualTo(expected.size());
        expected.values().stream().distinct().forEach(reason -> assertThat(pipeline.counter("jps.dlq.records",
                Map.of("topic", "payments.dlq.request", "reason", reason)))
                .as(reason).isEqualTo(expected.values().stream().filter(reason::equals).count()));
    }

    @Test
    void namesTheRequestOfADeadLetterWhenItCanBeRead() {
        pipeline.sendRequest(new PaymentRequest("r-77", "juspay", "ghost", "refund", null, null, null,
                Requests.json("{\"order_id\":\"o\"}")));

        TestRecord<byte[], byte[]> letter = pipeline.drain(pipeline.topics.dlqRequest().name()).get(0);
        assertThat(header(letter, HeaderNames.REQUEST_ID)).isEqualTo("r-77");
        assertThat(header(letter, HeaderNames.PROVIDER)).isEqualTo("juspay");
        assertThat(header(letter, HeaderNames.ACCOUNT)).isEqualTo("ghost");
    }

    @Test
    void keepsMetricLabelsClosedToConfiguredProviders() {
        pipeline.sendRequest(new PaymentRequest("r-1", "made-up-provider-123", "default", "x", null, null, null,
                Requests.json("{}")));

        assertThat(pipeline.registry.find("jps.seals").tag("provider", "unknown").counter()).isNotNull();
        assertThat(pipeline.registry.find("jps.seals").tag("provider", "made-up-provider-123").counter()).isNull();
    }
}
