package io.jps.observe;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import com.fasterxml.jackson.databind.JsonNode;
import io.jps.profile.Stage;
import io.jps.record.Json;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class LogFormatTest {

    private final LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    private final Logger log = context.getLogger("io.jps.observe.LogFormatTest");
    private final ByteArrayOutputStream written = new ByteArrayOutputStream();
    private OutputStreamAppender<ILoggingEvent> appender;

    @AfterEach
    void detach() {
        log.detachAppender(appender);
        appender.stop();
    }

    @Test
    void jsonLinesCarryTheRecordTheyAreAbout() throws Exception {
        capture(LogFormat.JSON);
        try (RecordLogContext ignored = RecordLogContext.put("r-1", "juspay", "acme", Stage.SEAL)) {
            log.info("sealed {}", "r-1");
        }
        log.info("not about a record");

        List<JsonNode> lines = new ArrayList<>();
        for (String line : written.toString(StandardCharsets.UTF_8).lines().toList()) {
            lines.add(Json.MAPPER.readTree(line));
        }
        assertThat(lines).hasSize(2);
        JsonNode about = lines.get(0);
        assertThat(about.get("formattedMessage").asText()).isEqualTo("sealed r-1");
        assertThat(about.get("level").asText()).isEqualTo("INFO");
        assertThat(about.get("mdc").get("requestId").asText()).isEqualTo("r-1");
        assertThat(about.get("mdc").get("provider").asText()).isEqualTo("juspay");
        assertThat(about.get("mdc").get("account").asText()).isEqualTo("acme");
        assertThat(about.get("mdc").get("stage").asText()).isEqualTo("seal");
        assertThat(lines.get(1).path("mdc")).as("no record context left behind").isEmpty();
    }

    @Test
    void textLinesShowTheRecordInBracketsAndNothingWhenThereIsNone() {
        capture(LogFormat.TEXT);
        try (RecordLogContext ignored = RecordLogContext.put("r-2", "wise", null, Stage.OPEN)) {
            log.warn("refused");
        }
        log.warn("plain");

        List<String> lines = written.toString(StandardCharsets.UTF_8).lines().toList();
        assertThat(lines.get(0)).contains("requestId=r-2").contains("provider=wise").contains("stage=open")
                .doesNotContain("account").endsWith(" - refused");
        assertThat(lines.get(1)).doesNotContain("[").endsWith("LogFormatTest - plain");
    }

    @Test
    void anInnerContextGivesTheOuterOneBackAndForgedLinesStayOnOneLine() {
        capture(LogFormat.TEXT);
        try (RecordLogContext outer = RecordLogContext.put("r-outer", "juspay", "default", Stage.DISPATCH)) {
            try (RecordLogContext inner = RecordLogContext.put("r-inner\nFAKE ERROR line", "juspay", "default", Stage.DISPATCH)) {
                log.warn("inner");
            }
            log.warn("outer");
        }

        List<String> lines = written.toString(StandardCharsets.UTF_8).lines().toList();
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0)).contains("requestId=r-inner?FAKE ERROR line");
        assertThat(lines.get(1)).contains("requestId=r-outer");
    }

    private void capture(LogFormat format) {
        appender = new OutputStreamAppender<>();
        appender.setContext(context);
        appender.setEncoder(format.encoder(context));
        appender.setOutputStream(written);
        appender.start();
        log.addAppender(appender);
    }
}
