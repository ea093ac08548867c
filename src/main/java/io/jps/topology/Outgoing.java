package io.jps.topology;

/** What a stage emits for one input record: where it goes, and the bytes it carries there. */
public record Outgoing(Route route, byte[] value) {

    public enum Route { SEALED, RESULT, DLQ_REQUEST, DLQ_DECRYPTION, DLQ_SIGNATURE }

    public boolean goesTo(Route wanted) {
        return route == wanted;
    }
}
