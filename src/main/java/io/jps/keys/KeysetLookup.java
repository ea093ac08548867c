package io.jps.keys;

import java.util.Optional;

/** The answer to "which keys for this provider and account?": a keyset, none at all, or a broken one. */
public sealed interface KeysetLookup {

    record Found(Keyset keyset) implements KeysetLookup {
    }

    /** No directory for this provider and account (or the names are not plain names). */
    record Missing(KeysetId id) implements KeysetLookup {
    }

    /** The directory exists but has never loaded; {@code problem} names the file and what is wrong. */
    record Broken(KeysetId id, String problem) implements KeysetLookup {
    }

    default Optional<Keyset> found() {
        return this instanceof Found found ? Optional.of(found.keyset()) : Optional.empty();
    }
}
