package io.jps.seal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jps.profile.ReasonCode;
import org.junit.jupiter.api.Test;

/** The one check every path meets before it is appended to a provider's base URL, at seal time and at dispatch. */
class PathTemplateTest {

    @Test
    void letsPlainPathsQueriesAndEncodedCharactersThrough() throws Exception {
        for (String path : new String[] {"/v1/cases", "/v4/orders/ord_77/refunds", "/api/x?y=1&z=%2F", "/a%20b/c", "/v1/",
                "/a/..b/c.", "/v1/cases;v=2", "/50%25off"}) {
            assertThat(PathTemplate.checked(path)).isEqualTo(path);
        }
    }

    @Test
    void refusesPathsThatNameAnotherHost() {
        assertRefused(".attacker.example/x", "@127.0.0.1:9/x", "//127.0.0.1:9/x", "/x@127.0.0.1:9/y", "", "x");
    }

    @Test
    void refusesDotSegmentsHoweverTheyAreEncoded() {
        assertRefused("/v1/../../x", "/v1/./x", "/v1/..", "/v1/.%2e/x", "/v1/%2e./x", "/v1/%2E%2E/x", "/v1/%2e/x",
                "/v1/..;/x", "/v1/..;jsessionid=1/x", "/v1/.%2e;x=1/y", "/v1/%252e%252e/x", "/v1/%25252e%25252e/x");
    }

    @Test
    void refusesEncodedSlashesBackslashesAndControlCharacters() {
        assertRefused("/v1/a%2f..%2f..%2fx", "/v1/a%2F", "/v1\\..\\x", "/v1/a%5c..", "/v1/a%00", "/v1/a%0d%0aHost:x",
                "/v1/%252f", "/v1/a b", "/v1/#x", "/v1/\u00e9");
    }

    @Test
    void refusesBrokenOrOverlongEncodings() {
        // %c0%ae is an overlong UTF-8 '.', which lenient decoders turn into a dot segment
        assertRefused("/v1/%zz", "/v1/%2", "/v1/%c0%ae%c0%ae/x");
    }

    private static void assertRefused(String... paths) {
        for (String path : paths) {
            assertThatThrownBy(() -> PathTemplate.checked(path)).as(path).isInstanceOf(SealFailure.class)
                    .satisfies(failure -> assertThat(((SealFailure) failure).reason()).isEqualTo(ReasonCode.MALFORMED));
        }
    }
}
