package io.jps.profile;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PathTemplatesTest {

    @Test
    void matchesATemplateSegmentForSegment() {
        assertThat(PathTemplates.matches("/v4/orders/{order_id}/refunds", "/v4/orders/ord_77/refunds")).isTrue();
        assertThat(PathTemplates.matches("/v1/cases/{caseId}", "/v1/cases/123?x=1")).isTrue();
        assertThat(PathTemplates.matches("/v1/cases/{caseId}", "/v1/cases/1/2")).isFalse();
        assertThat(PathTemplates.matches("/v1/cases", "/v1/cases/1")).isFalse();
        assertThat(PathTemplates.matches("/v1/cases", "/v1/cases")).isTrue();
    }
}
