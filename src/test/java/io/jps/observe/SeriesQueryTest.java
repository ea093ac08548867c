package io.jps.observe;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SeriesQueryTest {

    @Test
    void everyComparisonOutsideMatchersAnswersForEverySeries() {
        assertThat(SeriesQuery.of("sum by (topic) (rate(jps_dlq_records_total[5m])) > 0.1"))
                .isEqualTo("sum by (topic) (rate(jps_dlq_records_total[5m])) > bool 0.1");
        assertThat(SeriesQuery.of("up{job=\"jps\"} == 0 or jps_ready == 0"))
                .isEqualTo("up{job=\"jps\"} == bool 0 or jps_ready == bool 0");
        assertThat(SeriesQuery.of("a >= 1 and b <= 2 and c != 3 and d < 14 * 86400"))
                .isEqualTo("a >= bool 1 and b <= bool 2 and c != bool 3 and d < bool 14 * 86400");
    }

    @Test
    void leavesMatchersStringsAndExistingBoolAlone() {
        String matchers = "x{state!=\"RUNNING\",stage=~\"seal|open\",reason!~\"a>b\"}";
        assertThat(SeriesQuery.of(matchers)).isEqualTo(matchers);
        assertThat(SeriesQuery.of("label_replace(x, \"y\", \"a>b\", \"z\", \"(.*)\")"))
                .isEqualTo("label_replace(x, \"y\", \"a>b\", \"z\", \"(.*)\")");
        assertThat(SeriesQuery.of("x > bool 1")).isEqualTo("x > bool 1");
    }
}
