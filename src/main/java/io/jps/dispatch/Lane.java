package io.jps.dispatch;

import java.util.Base64;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

/** Records of one partition and one key: they are sent strictly one after another. */
record Lane(TopicPartition partition, String key) {

    static Lane of(ConsumerRecord<byte[], byte[]> record) {
        return new Lane(new TopicPartition(record.topic(), record.partition()),
                record.key() == null ? "" : Base64.getEncoder().encodeToString(record.key()));
    }
}
