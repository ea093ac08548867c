package io.jps.sandbox;

import io.jps.profile.Operation;
import io.jps.profile.ProviderProfile;
import java.util.Map;

/** Which entry of its operation table a request to a provider is, from its method and path, as the provider knows its own endpoints. */
final class Endpoints {

    private final Map<String, ProviderProfile> profiles;

    Endpoints(Map<String, ProviderProfile> profiles) {
        this.profiles = Map.copyOf(profiles);
    }

    /** Whether the provider answers this request in plain JSON by design (an operation declared {@code answer: plain}). */
    boolean answersPlain(String provider, IncomingRequest request) {
        ProviderProfile profile = profiles.get(provider);
        return profile != null && profile.operationNameFor(request.method(), request.path())
                .flatMap(profile::operation).map(op -> op.answer() == Operation.Answer.PLAIN).orElse(false);
    }
}
