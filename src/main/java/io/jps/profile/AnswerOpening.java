package io.jps.profile;

import com.nimbusds.jose.EncryptionMethod;
import com.nimbusds.jose.JWEAlgorithm;
import com.nimbusds.jose.JWSAlgorithm;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * How a provider's answers are opened, and what is accepted. Everything not listed here is refused.
 *
 * @param wireForm          where the token sits in the body
 * @param envelopeField     the field carrying the token for {@code envelope} (Socure: {@code encrypted_response})
 * @param encryption        allowed JWE key-management algorithms; empty means answers are not encrypted
 * @param contentEncryption allowed JWE {@code enc} values
 * @param directEncryption  accept {@code alg: dir} answers encrypted under the request's own content key (Wise)
 * @param signature         allowed algorithms of the nested JWS; empty means answers are not signed
 * @param honourExpiry      check {@code exp} and {@code iat} in the JWE protected header when present (Juspay)
 * @param maxAge            when set, refuse answers whose {@code iat} is older than this
 * @param plainErrors       accept an unsealed JSON body on a 4xx/5xx status as a provider-reported error
 * @param emptyBodies       accept an empty body (not encrypted, per Wise's documentation) as an empty answer
 */
public record AnswerOpening(
        WireForm wireForm,
        String envelopeField,
        List<String> encryption,
        List<String> contentEncryption,
        boolean directEncryption,
        List<String> signature,
        boolean honourExpiry,
        Duration maxAge,
        boolean plainErrors,
        boolean emptyBodies) {

    public AnswerOpening {
        wireForm = wireForm == null ? WireForm.JSON : wireForm;
        encryption = encryption == null ? List.of() : List.copyOf(encryption);
        contentEncryption = contentEncryption == null ? List.of() : List.copyOf(contentEncryption);
        signature = signature == null ? List.of() : List.copyOf(signature);
    }

    public Set<JWEAlgorithm> jweAlgorithms() {
        Set<JWEAlgorithm> algs = encryption.stream().map(JWEAlgorithm::parse).collect(Collectors.toSet());
        if (directEncryption) {
            algs.add(JWEAlgorithm.DIR);
        }
        return Set.copyOf(algs);
    }

    public Set<EncryptionMethod> encryptionMethods() {
        return contentEncryption.stream().map(EncryptionMethod::parse).collect(Collectors.toUnmodifiableSet());
    }

    public Set<JWSAlgorithm> jwsAlgorithms() {
        return signature.stream().map(JWSAlgorithm::parse).collect(Collectors.toUnmodifiableSet());
    }

    public boolean decrypts() {
        return !encryption.isEmpty() || directEncryption;
    }

    public boolean verifies() {
        return !signature.isEmpty();
    }
}
