package io.jps.topology;

/**
 * What a stage emits for one input record: where it goes, the bytes it carries there, and for a sealed request
 * the partition it must land in (that of its request); null leaves the partition to the record key.
 */
record Outgoing(Route route, byte[] value, Integer partition) {

    enum Route { SEALED, RESULT, DLQ_REQUEST, DLQ_DECRYPTION, DLQ_SIGNATURE }

    Outgoing(Route route, byte[] value) {
        this(route, value, null);
    }

    static Outgoing toPartition(byte[] value, int partition) {
        return new Outgoing(Route.SEALED, value, partition);
    }

    boolean goesTo(Route wanted) {
        return route == wanted;
    }
}
