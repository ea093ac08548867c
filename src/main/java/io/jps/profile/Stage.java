package io.jps.profile;

import java.util.Locale;

/** The pipeline stage that gave up on a record; written to {@code jps.error.stage}. */
public enum Stage {
    SEAL, DISPATCH, OPEN;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
