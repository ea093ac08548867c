package io.jps.observe;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.encoder.EncoderBase;
import java.util.Iterator;
import java.util.Locale;
import org.slf4j.LoggerFactory;

/**
 * How log lines are written: {@code text} for a person at a terminal, {@code json} (Logback's own encoder, one
 * object a line, the MDC of {@link RecordLogContext} as {@code mdc}) for a log collector.
 */
public enum LogFormat {
    TEXT, JSON;

    /** The text layout, declared once in {@code logback.xml}. */
    static final String TEXT_PATTERN_PROPERTY = "jps.log.pattern";

    public static LogFormat parse(String name) {
        return valueOf(name.trim().toUpperCase(Locale.ROOT));
    }

    public Encoder<ILoggingEvent> encoder(LoggerContext context) {
        EncoderBase<ILoggingEvent> encoder = switch (this) {
            case TEXT -> {
                PatternLayoutEncoder text = new PatternLayoutEncoder();
                text.setPattern(context.getProperty(TEXT_PATTERN_PROPERTY));
                yield text;
            }
            case JSON -> {
                JsonEncoder json = new JsonEncoder();
                // The formatted message only: the raw pattern and its arguments would say the same thing twice.
                json.setWithMessage(false);
                json.setWithArguments(false);
                json.setWithFormattedMessage(true);
                json.setWithSequenceNumber(false);
                json.setWithNanoseconds(false);
                json.setWithContext(false);
                yield json;
            }
        };
        encoder.setContext(context);
        encoder.start();
        return encoder;
    }

    /** Writes every line of the root logger's appenders in this format from now on. */
    public void apply() {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        for (Iterator<Appender<ILoggingEvent>> appenders = root.iteratorForAppenders(); appenders.hasNext(); ) {
            if (appenders.next() instanceof OutputStreamAppender<ILoggingEvent> stream) {
                stream.stop();
                stream.setEncoder(encoder(context));
                stream.start();
            }
        }
    }
}
