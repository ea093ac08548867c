package io.jps.config;

/** A topic's name and the shape it is created with when absent. */
public record TopicSpec(String name, int partitions, short replicationFactor, int minInsyncReplicas) {

    /**
     * The shape a cluster of {@code brokers} brokers can hold: no more replicas than brokers, and no more in-sync
     * replicas required than there are replicas (else every write with acks=all would be refused).
     */
    public TopicSpec cappedTo(int brokers) {
        short replicas = (short) Math.min(replicationFactor, brokers);
        return new TopicSpec(name, partitions, replicas, Math.min(minInsyncReplicas, replicas));
    }
}
