package io.jps.support;

import com.nimbusds.jose.JWEAlgorithm;
import com.nimbusds.jose.JWEHeader;
import com.nimbusds.jose.JWSAlgorithm;
import io.jps.attest.AttestationKeyException;
import io.jps.attest.Attestor;
import io.jps.engine.Engine;
import io.jps.keys.Keyset;
import io.jps.profile.AnswerOpening;
import io.jps.profile.WireForms;
import io.jps.record.Json;
import io.jps.record.ProviderResponse;
import io.jps.record.SealedRequest;
import io.jps.sandbox.ProviderCrypto;
import io.jps.seal.JoseSealer;
import io.jps.topology.HeaderNames;
import io.jps.topology.RecordIdentity;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Plays the provider and the dispatcher for topology tests: reads a sealed request as the provider would (its
 * keys), answers it genuinely, tampered, or signed with a key that is not the provider's, and writes that answer
 * to {@code payments.responses} the way the dispatcher would: attested, into the sealed request's partition.
 */
public final class ProviderPlayer {

    /** How to answer one request. */
    public enum Answer { VALID, TAMPERED, WRONGLY_SIGNED, PROVIDER_ERROR, GARBAGE }

    private final Engine engine;
    private final Attestor attestor;
    private final ProviderCrypto provider;
    private final String responsesTopic;

    public ProviderPlayer(Engine engine, String responsesTopic) throws AttestationKeyException {
        this.engine = engine;
        this.attestor = engine.attestor();
        this.provider = Engines.provider(engine);
        this.responsesTopic = responsesTopic;
    }

    public ProducerRecord<byte[], byte[]> answer(ConsumerRecord<byte[], byte[]> sealedRecord, Answer answer) throws Exception {
        SealedRequest request = Json.MAPPER.readValue(sealedRecord.value(), SealedRequest.class);
        byte[] echo = Json.writeBytes(Map.of("status", "SUCCESS", "requestId", request.requestId()));
        int status = 200;
        String body;
        switch (answer) {
            case VALID -> body = genuine(request, echo);
            case TAMPERED -> body = tampered(request, genuine(request, echo));
            case WRONGLY_SIGNED -> body = signedByAnotherAccountsKey(request, echo);
            case PROVIDER_ERROR -> {
                status = 500;
                body = "{\"error\":\"internal\"}";
            }
            case GARBAGE -> body = "<html>not what was asked for</html>";
            default -> throw new IllegalArgumentException(answer.name());
        }
        ProviderResponse response = new ProviderResponse(request.requestId(), request.provider(), request.account(), status,
                Map.of("Content-Type", "application/json"), body, 1, System.currentTimeMillis(), System.currentTimeMillis());
        RecordHeaders headers = new RecordHeaders();
        new RecordIdentity(request.requestId(), request.provider(), request.account()).writeTo(headers);
        headers.add(HeaderNames.ATTESTATION, attestor.attest(response).getBytes(StandardCharsets.US_ASCII));
        // Into the partition of the sealed request, as the dispatcher answers.
        return new ProducerRecord<>(responsesTopic, sealedRecord.partition(), sealedRecord.key(), Json.writeBytes(response), headers);
    }

    private String genuine(SealedRequest request, byte[] payload) throws Exception {
        var opened = provider.openRequest(request.provider(), request.account(), request.path(),
                request.body() == null ? "" : request.body());
        return provider.sealAnswer(request.provider(), request.account(), payload, ProviderCrypto.AnswerMode.NORMAL,
                opened.contentKey());
    }

    /** One character of the ciphertext changed: GCM's tag no longer matches. */
    private String tampered(SealedRequest request, String body) throws Exception {
        AnswerOpening opening = engine.config().providers().get(request.provider()).open();
        String[] parts = WireForms.unwrap(body, opening.wireForm(), opening.envelopeField()).split("\\.");
        char c = parts[3].charAt(parts[3].length() / 2);
        parts[3] = parts[3].substring(0, parts[3].length() / 2) + (c == 'A' ? 'B' : 'A') + parts[3].substring(parts[3].length() / 2 + 1);
        return WireForms.wrap(String.join(".", parts), opening.wireForm(), opening.envelopeField());
    }

    /** Correctly encrypted to us, but signed by the provider's key of our other account. */
    private String signedByAnotherAccountsKey(SealedRequest request, byte[] payload) throws Exception {
        AnswerOpening opening = engine.config().providers().get(request.provider()).open();
        String other = request.account().equals("default") ? "acme" : "default";
        Keyset wrongSigner = Engines.providerKeyset(engine, request.provider(), other);
        Keyset right = Engines.providerKeyset(engine, request.provider(), request.account());
        JoseSealer jose = new JoseSealer(engine.backend());
        var signingKey = wrongSigner.signingKey(null, Instant.now()).orElseThrow();
        String jws = jose.sign(payload, JWSAlgorithm.RS256, signingKey.kid(), signingKey);
        var merchantKey = right.encryptionKey(null, Instant.now()).orElseThrow();
        String jwe = jose.encrypt(new JWEHeader.Builder(JWEAlgorithm.parse(opening.encryption().get(0)),
                opening.encryptionMethods().iterator().next()).contentType("JWT").keyID(merchantKey.kid()).build(),
                jws.getBytes(StandardCharsets.US_ASCII), merchantKey, false).compact();
        return WireForms.wrap(jwe, opening.wireForm(), opening.envelopeField());
    }

    public static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    public static String requestId(ConsumerRecord<byte[], byte[]> record) {
        return header(record, HeaderNames.REQUEST_ID);
    }
}
