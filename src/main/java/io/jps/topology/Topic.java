package io.jps.topology;

import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;

/** A topic's name together with the serdes its records are read and written with, so no call site mismatches them. */
public record Topic<K, V>(String name, Serde<K> keySerde, Serde<V> valueSerde) {

    /**
     * The pipeline reads and writes raw bytes: parsing happens inside the stages, where a record that does
     * not parse can be routed to a dead-letter topic with its bytes exactly as received.
     */
    public static Topic<byte[], byte[]> raw(String name) {
        return new Topic<>(name, Serdes.ByteArray(), Serdes.ByteArray());
    }

    public Consumed<K, V> consumed() {
        return Consumed.with(keySerde, valueSerde);
    }

    public Produced<K, V> produced() {
        return Produced.with(keySerde, valueSerde);
    }
}
