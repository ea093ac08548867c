package io.jps.dispatch;

import io.jps.attest.Attestor;
import io.jps.profile.Printable;
import io.jps.profile.ProviderProfile;
import io.jps.profile.ReasonCode;
import io.jps.record.Json;
import io.jps.record.SealedRequest;
import io.jps.topology.HeaderNames;
import io.jps.topology.RecordIdentity;
import java.io.IOException;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Turns a record of the sealed topic into work: what to send and how, or why it is not sent. Only what our seal
 * stage sealed, unchanged, is sent: whoever can write the topic without the attestation key makes nothing go out.
 */
final class SealedRecords {

    private final Map<String, ProviderProfile> profiles;
    private final Attestor attestor;

    SealedRecords(Map<String, ProviderProfile> profiles, Attestor attestor) {
        this.profiles = Map.copyOf(profiles);
        this.attestor = attestor;
    }

    Work read(ConsumerRecord<byte[], byte[]> record) {
        Lane lane = Lane.of(record);
        SealedRequest request;
        try {
            request = Json.MAPPER.readValue(Json.strictUtf8(record.value() == null ? new byte[0] : record.value()),
                    SealedRequest.class);
        } catch (Json.MalformedJsonException | IOException e) {
            return unsendable(record, lane, null, ReasonCode.MALFORMED, "not a SealedRequest record");
        }
        if (request == null || request.requestId() == null || request.method() == null || request.path() == null) {
            return unsendable(record, lane, null, ReasonCode.MALFORMED, "a SealedRequest needs requestId, method and path");
        }
        if (!attestor.verifies(request, RecordIdentity.text(record.headers(), HeaderNames.ATTESTATION))) {
            return unsendable(record, lane, null, ReasonCode.UNATTESTED, "no valid " + HeaderNames.ATTESTATION
                    + ": not sealed by our seal stage, or changed since; nothing was sent");
        }
        ProviderProfile profile = request.provider() == null ? null : profiles.get(request.provider());
        if (profile == null) {
            return unsendable(record, lane, request, ReasonCode.UNKNOWN_PROVIDER,
                    "no profile for provider '" + Printable.of(request.provider()) + "'");
        }
        try {
            return new Work.Sendable(record, lane, request, profile, RequestGuard.allow(request, profile));
        } catch (RequestGuard.NotAllowed refused) {
            return unsendable(record, lane, request, ReasonCode.REQUEST_NOT_ALLOWED, refused.getMessage());
        }
    }

    private static Work unsendable(ConsumerRecord<byte[], byte[]> record, Lane lane, SealedRequest request, ReasonCode reason,
                                   String problem) {
        RecordIdentity identity = request != null
                ? new RecordIdentity(request.requestId(), request.provider(), request.account())
                : RecordIdentity.bestEffort(record.value(), record.headers());
        return new Work.Unsendable(record, lane, identity, reason, problem);
    }
}
