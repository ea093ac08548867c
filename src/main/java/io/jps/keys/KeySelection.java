package io.jps.keys;

import io.jps.profile.ReasonCode;
import java.util.List;

/** The answer of {@link KeySelector}: these keys, to be tried in order, or none, because of this. */
public sealed interface KeySelection<K> {

    record Candidates<K>(List<K> keys) implements KeySelection<K> {
        public Candidates {
            keys = List.copyOf(keys);
        }
    }

    /** No key may be used; the reason and message say why, fit for a dead-letter header. */
    record None<K>(ReasonCode reason, String message) implements KeySelection<K> {
    }
}
