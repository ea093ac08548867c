package io.jps.seal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jps.profile.ReasonCode;
import io.jps.record.PaymentRequest;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class PaymentRequestParserTest {

    private final PaymentRequestParser parser = new PaymentRequestParser(4096);

    @Test
    void readsTheContractsExampleAndDefaultsTheAccount() throws Exception {
        PaymentRequest request = parse("""
                { "requestId": "r-000123", "provider": "juspay", "operation": "refund",
                  "method": "POST", "path": "/v4/orders/ord_77/refunds",
                  "key": "ord_77", "payload": { "unique_request_id": "rf_1", "amount": "10.00" } }""");

        assertThat(request.requestId()).isEqualTo("r-000123");
        assertThat(request.account()).isEqualTo("default");
        assertThat(request.recordKey()).isEqualTo("ord_77");
        assertThat(request.payload().get("amount").asText()).isEqualTo("10.00");
    }

    @Test
    void keysByRequestIdWhenNoKeyIsGiven() throws Exception {
        assertThat(parse("{\"requestId\":\"r-1\",\"provider\":\"wise\",\"payload\":{}}").recordKey()).isEqualTo("r-1");
    }

    @Test
    void refusesWhatIsNotAWellFormedRequest() {
        assertMalformed(new byte[] {(byte) 0xC3, (byte) 0x28});
        assertMalformed("not json".getBytes(StandardCharsets.UTF_8));
        assertMalformed("[1,2]".getBytes(StandardCharsets.UTF_8));
        assertMalformed(new byte[0]);
        assertMalformed("{\"provider\":\"wise\",\"payload\":{}}".getBytes(StandardCharsets.UTF_8));
        assertMalformed("{\"requestId\":\"r\",\"payload\":{}}".getBytes(StandardCharsets.UTF_8));
        assertMalformed("{\"requestId\":\"r\",\"provider\":\"wise\"}".getBytes(StandardCharsets.UTF_8));
        assertMalformed("{\"requestId\":\"r\",\"provider\":\"wise\",\"payload\":\"x\"}".getBytes(StandardCharsets.UTF_8));
        assertMalformed("{\"requestId\":7,\"provider\":\"wise\",\"payload\":{}}".getBytes(StandardCharsets.UTF_8));
        assertMalformed("{\"requestId\":\"r 1\",\"provider\":\"wise\",\"payload\":{}}".getBytes(StandardCharsets.UTF_8));
        assertMalformed("{\"requestId\":\"r\",\"provider\":\"wise\",\"payload\":{}} trailing".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void refusesDuplicateFieldsThatTwoParsersCouldReadDifferently() {
        assertMalformed("{\"requestId\":\"r-1\",\"requestId\":\"r-2\",\"provider\":\"wise\",\"payload\":{}}"
                .getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void refusesOversizedRequestsBeforeParsing() {
        byte[] big = ("{\"requestId\":\"r\",\"provider\":\"wise\",\"payload\":{\"x\":\"" + "a".repeat(5000) + "\"}}")
                .getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> parser.parse(big))
                .isInstanceOfSatisfying(SealFailure.class, f -> assertThat(f.reason()).isEqualTo(ReasonCode.OVERSIZED));
    }

    @Test
    void neverQuotesThePayloadInItsMessages() {
        byte[] broken = "{\"requestId\":\"r\",\"provider\":\"wise\",\"payload\":{\"card\":\"4111111111111111\" oops}}"
                .getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> parser.parse(broken)).isInstanceOf(SealFailure.class)
                .message().doesNotContain("4111111111111111").doesNotContain("oops");
    }

    private PaymentRequest parse(String json) throws SealFailure {
        return parser.parse(json.getBytes(StandardCharsets.UTF_8));
    }

    private void assertMalformed(byte[] value) {
        assertThatThrownBy(() -> parser.parse(value))
                .isInstanceOfSatisfying(SealFailure.class, f -> assertThat(f.reason()).isEqualTo(ReasonCode.MALFORMED));
    }
}
