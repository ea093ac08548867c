package io.jps.app;

import java.util.Locale;

/** What one process runs: everything, the Kafka Streams stages, or the dispatcher. */
public enum Role {
    ALL, SEAL_OPEN, DISPATCHER;

    public boolean runsStages() {
        return this == ALL || this == SEAL_OPEN;
    }

    public boolean runsDispatcher() {
        return this == ALL || this == DISPATCHER;
    }

    public static Role parse(String text) {
        return valueOf(text.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
    }
}
