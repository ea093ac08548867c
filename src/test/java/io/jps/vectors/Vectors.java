package io.jps.vectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jps.keys.CryptoBackend;
import io.jps.keys.Keyset;
import io.jps.keys.KeysetException;
import io.jps.keys.KeysetId;
import io.jps.keys.KeysetLayout;
import io.jps.keys.KeysetLoader;
import io.jps.open.JoseOpener;
import io.jps.profile.ProviderProfile;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reading the public test vectors (from the classpath, so a clean clone runs them) and turning their JWKs
 * into keysets the way a user would: a {@code *.jwks.json} file in a keyset directory, read by the
 * product's own {@link KeysetLoader}. Going through the loader rather than building Nimbus keys by hand is
 * the point: the vectors then test what the product does with a key, not what Nimbus does.
 */
final class Vectors {

    static final ObjectMapper JSON = new ObjectMapper();

    /** Built once: selecting the backend loads ACCP's native library. */
    static final CryptoBackend AUTO = CryptoBackend.select("auto");
    /** A provider that seals and opens nothing itself: its keyset is whatever the vector holds, and nothing is required. */
    private static final ProviderProfile VECTORS = new ProviderProfile("vectors", null, null, null, null, null, null, null,
            null, null);

    private Vectors() {
    }

    static JsonNode resource(String path) {
        try (InputStream in = Vectors.class.getResourceAsStream("/vectors/" + path)) {
            if (in == null) {
                throw new IllegalStateException("/vectors/" + path + " is not on the test classpath");
            }
            return JSON.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A keyset holding exactly {@code jwks}, loaded from {@code dir/x.jwks.json} by the product's loader. */
    static Keyset keyset(Path dir, CryptoBackend backend, String name, JsonNode... jwks) {
        try {
            Files.createDirectories(dir);
            ObjectNode set = JSON.createObjectNode();
            set.putArray("keys").addAll(List.of(jwks));
            Files.writeString(dir.resolve("x" + KeysetLayout.JWKS_SUFFIX), JSON.writeValueAsString(set));
            return new KeysetLoader(backend, KeysetLayout.MERCHANT, Map.of(), Map.of("vectors", VECTORS)).load(dir, new KeysetId("vectors", name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (KeysetException e) {
            throw new IllegalStateException("the vector's key does not load: " + e.getMessage(), e);
        }
    }

    /** The JWK with the given members removed (e.g. the private parts, to make a peer key). */
    static JsonNode without(JsonNode jwk, String... members) {
        ObjectNode copy = jwk.deepCopy();
        copy.remove(List.of(members));
        return copy;
    }

    static JoseOpener opener(CryptoBackend backend) {
        return new JoseOpener(backend, Duration.ofSeconds(60));
    }

    static byte[] hex(String hex) {
        return HexFormat.of().parseHex(hex);
    }

    static byte[] base64Url(String text) {
        return Base64.getUrlDecoder().decode(text);
    }

    /** The compact token's protected header as JSON, when its first part decodes to a JSON object. */
    static Optional<JsonNode> protectedHeader(String compact) {
        try {
            JsonNode header = JSON.readTree(new String(base64Url(compact.split("\\.", -1)[0]), StandardCharsets.UTF_8));
            return header != null && header.isObject() ? Optional.of(header) : Optional.empty();
        } catch (IOException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    static Optional<String> headerText(String compact, String member) {
        return protectedHeader(compact).map(h -> h.get(member)).filter(JsonNode::isTextual).map(JsonNode::asText);
    }

    /** Wycheproof stores tokens as compact strings; a JSON-serialized one is passed on as its JSON text. */
    static String token(JsonNode value) {
        return value.isTextual() ? value.asText() : value.toString();
    }

    /** One Wycheproof test case together with its group, which holds the keys. */
    record Case(JsonNode group, JsonNode test, int groupIndex) {
        int tcId() {
            return test.get("tcId").asInt();
        }

        String comment() {
            return test.get("comment").asText();
        }

        String result() {
            return test.get("result").asText();
        }

        String name() {
            return "tcId " + tcId() + " " + comment() + " (" + result() + ")";
        }
    }

    /** Every case of the groups picked by {@code groupFilter}, in file order. */
    static List<Case> cases(JsonNode file, java.util.function.Predicate<JsonNode> groupFilter) {
        List<Case> cases = new ArrayList<>();
        JsonNode groups = file.get("testGroups");
        for (int i = 0; i < groups.size(); i++) {
            JsonNode group = groups.get(i);
            if (groupFilter.test(group)) {
                for (JsonNode test : group.get("tests")) {
                    cases.add(new Case(group, test, i));
                }
            }
        }
        return cases;
    }
}
