package io.jps.observe;

import io.jps.profile.Printable;
import io.jps.profile.Stage;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.MDC;

/**
 * The record a thread is working on, in the SLF4J MDC for as long as it is open: every log line written
 * meanwhile carries {@code requestId}, {@code provider}, {@code account} and {@code stage} (in the JSON
 * format's {@code mdc}, and in brackets in the text one). Use it with try-with-resources around one record's
 * handling; the values come from records, so they are made printable first, and none of them is secret.
 */
public final class RecordLogContext implements AutoCloseable {

    public static final String REQUEST_ID = "requestId";
    public static final String PROVIDER = "provider";
    public static final String ACCOUNT = "account";
    public static final String STAGE = "stage";

    /** What the keys held before, so that a context opened inside another gives the outer one back. */
    private final Map<String, String> previous = new LinkedHashMap<>();

    private RecordLogContext() {
    }

    /** Any of the values may be null (not known yet, e.g. before a request is parsed): it is left out. */
    public static RecordLogContext put(String requestId, String provider, String account, Stage stage) {
        RecordLogContext context = new RecordLogContext();
        context.set(REQUEST_ID, requestId);
        context.set(PROVIDER, provider);
        context.set(ACCOUNT, account);
        context.set(STAGE, stage == null ? null : stage.wireName());
        return context;
    }

    private void set(String key, String value) {
        previous.put(key, MDC.get(key));
        if (value == null) {
            MDC.remove(key);
        } else {
            MDC.put(key, Printable.of(value));
        }
    }

    @Override
    public void close() {
        previous.forEach((key, value) -> {
            if (value == null) {
                MDC.remove(key);
            } else {
                MDC.put(key, value);
            }
        });
    }
}
