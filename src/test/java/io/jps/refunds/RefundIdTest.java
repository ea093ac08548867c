package io.jps.refunds;

import static org.assertj.core.api.Assertions.assertThat;

import io.jps.config.ConfigLoader;
import io.jps.profile.ProviderProfile;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A refund's requestId comes from its provider, account and idempotency field: stable, and scoped to both. */
class RefundIdTest {

    private static final RefundRules JUSPAY = RefundRules.forProvider(ConfigLoader.defaults().providers().get("juspay")).orElseThrow();

    @Test
    void theSameRowAlwaysGetsTheSameRequestId() {
        RefundId id = RefundId.derive("juspay", "default", JUSPAY.idempotencyMaterial(row("ord_1", "rf_1", "10.00")));

        assertThat(RefundId.derive("juspay", "default", JUSPAY.idempotencyMaterial(row("ord_1", "rf_1", "10.00")))).isEqualTo(id);
        // Pinned: a change of the derivation would make every file submitted before it pay again.
        assertThat(id.requestId()).isEqualTo("refund-11de71aab9d3337ed069ed3d25f4f813");
    }

    @Test
    void onlyTheIdempotencyFieldMakesAJuspayRefundTheSame() {
        String first = JUSPAY.idempotencyMaterial(row("ord_1", "rf_1", "10.00"));
        String otherAmount = JUSPAY.idempotencyMaterial(row("ord_1", "rf_1", "12.00"));
        String otherRefund = JUSPAY.idempotencyMaterial(row("ord_1", "rf_2", "10.00"));

        assertThat(RefundId.derive("juspay", "default", otherAmount)).isEqualTo(RefundId.derive("juspay", "default", first));
        assertThat(RefundId.derive("juspay", "default", otherRefund)).isNotEqualTo(RefundId.derive("juspay", "default", first));
    }

    @Test
    void theSameRowForAnotherAccountOrProviderIsAnotherRefund() {
        RefundId ours = RefundId.derive("juspay", "default", "unique_request_id=rf_1");

        assertThat(RefundId.derive("juspay", "acme", "unique_request_id=rf_1")).isNotEqualTo(ours);
        assertThat(RefundId.derive("portone", "default", "unique_request_id=rf_1")).isNotEqualTo(ours);
        // Lengths are part of the digest's input: moving a character from one part to the next changes the id.
        assertThat(RefundId.derive("juspay", "defaultu", "nique_request_id=rf_1")).isNotEqualTo(ours);
    }

    @Test
    void aProviderWithoutAnIdempotencyFieldIsIdentifiedByItsWholeRowInAnyFieldOrder() {
        ProviderProfile likeJuspay = ConfigLoader.defaults().providers().get("juspay").withName("acquirer");
        RefundRules rules = RefundRules.forProvider(likeJuspay).orElseThrow();
        ObjectNode one = JsonNodeFactory.instance.objectNode().put("order_id", "o").put("amount", "1.00");
        ObjectNode reordered = JsonNodeFactory.instance.objectNode().put("amount", "1.00").put("order_id", "o");

        assertThat(rules.idempotencyField()).isNull();
        assertThat(rules.idempotencyMaterial(new RefundRow(2, null, null, one)))
                .isEqualTo(rules.idempotencyMaterial(new RefundRow(3, null, null, reordered)));
        assertThat(rules.recordKey(new RefundRow(2, null, null, one), "refund-x")).isEqualTo("refund-x");
    }

    @Test
    void aJuspayRefundIsKeyedByItsOrderUnlessTheRowSaysOtherwise() {
        assertThat(JUSPAY.recordKey(row("ord_1", "rf_1", "1.00"), "refund-x")).isEqualTo("ord_1");
        assertThat(JUSPAY.recordKey(new RefundRow(2, null, "payment-9", row("ord_1", "rf_1", "1.00").payload()), "refund-x"))
                .isEqualTo("payment-9");
    }

    @Test
    void parsesItsOwnRequestIdsBackAndNothingElse() {
        RefundId id = RefundId.derive("juspay", "default", "unique_request_id=rf_1");

        assertThat(RefundId.parse(id.requestId())).contains(id);
        assertThat(RefundId.parse("demo-17")).isEmpty();
        assertThat(RefundId.parse(id.requestId().toUpperCase(java.util.Locale.ROOT))).isEmpty();
        assertThat(RefundId.parse(id.requestId() + "0")).isEmpty();
        assertThat(RefundId.parse("refund-" + "g".repeat(32))).isEmpty();
        assertThat(RefundId.parse(null)).isEqualTo(Optional.empty());
    }

    private static RefundRow row(String order, String refund, String amount) {
        return new RefundRow(2, null, null, JsonNodeFactory.instance.objectNode()
                .put("order_id", order).put("unique_request_id", refund).put("amount", amount));
    }
}
