package io.jps.config;

/** A topic's name and the shape it is created with when absent. */
public record TopicSpec(String name, int partitions, short replicationFactor) {
}
