package io.jps.dispatch;

import io.jps.profile.ProviderProfile;
import io.jps.profile.ReasonCode;
import io.jps.record.SealedRequest;
import io.jps.topology.RecordIdentity;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** A record read from the sealed topic: one the dispatcher may send, or one that goes to the dead letters unsent. */
sealed interface Work {

    ConsumerRecord<byte[], byte[]> record();

    Lane lane();

    RecordIdentity identity();

    /** A readable request for a configured provider, and the one HTTP request its profile allows for it. */
    record Sendable(ConsumerRecord<byte[], byte[]> record, Lane lane, SealedRequest request, ProviderProfile profile,
                    AllowedRequest allowed) implements Work {

        @Override
        public RecordIdentity identity() {
            return new RecordIdentity(request.requestId(), request.provider(), request.account());
        }
    }

    /** A record that cannot be read, names no configured provider, or asks for what its provider's profile does not allow. */
    record Unsendable(ConsumerRecord<byte[], byte[]> record, Lane lane, RecordIdentity identity, ReasonCode reason,
                      String problem) implements Work {
    }
}
