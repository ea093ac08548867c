package io.jps.support;

import io.jps.kafka.EmbeddedKafka;
import io.jps.kafka.KafkaConnection;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.common.utils.Utils;

/**
 * A real single-node cluster secured as production ones are: applications authenticate with SCRAM-SHA-512 over
 * TLS (SASL_SSL); the node itself and the operator's admin with TLS client certificates (mTLS, principals
 * {@code User:CN=<name>}); {@code StandardAuthorizer} decides every request from the cluster's ACLs, and only the
 * node and the admin are super users. The certificates come from a throwaway CA made for each broker; the SCRAM
 * users, with random passwords, are created when the storage is formatted.
 */
public final class SecuredBroker implements AutoCloseable {

    public static final String ADMIN = "jps-admin";
    private static final String NODE = "broker";

    private final EmbeddedKafka kafka;
    private final Path dir;
    private final Map<String, String> passwords;

    private SecuredBroker(EmbeddedKafka kafka, Path dir, Map<String, String> passwords) {
        this.kafka = kafka;
        this.dir = dir;
        this.passwords = passwords;
    }

    /** A broker under {@code target/} with a SCRAM user for each of {@code users}. */
    public static SecuredBroker start(List<String> users) {
        try {
            Path dir = Files.createTempDirectory(Files.createDirectories(Path.of("target", "kafka")), "secured-");
            BrokerCertificates authority = BrokerCertificates.authority("jps test CA");
            authority.writeTrustStore(dir.resolve("ca.pem"));
            authority.writeKeyStore(dir.resolve(NODE + ".pem"), NODE);
            authority.writeKeyStore(dir.resolve(ADMIN + ".pem"), ADMIN);
            Map<String, String> passwords = new LinkedHashMap<>();
            users.forEach(user -> passwords.put(user, "pw-" + UUID.randomUUID()));
            Files.writeString(dir.resolve("admin.properties"), String.join("\n",
                    "security.protocol=SSL",
                    "ssl.truststore.type=PEM",
                    "ssl.truststore.location=" + dir.resolve("ca.pem"),
                    "ssl.keystore.type=PEM",
                    "ssl.keystore.location=" + dir.resolve(ADMIN + ".pem"), ""));
            EmbeddedKafka kafka = EmbeddedKafka.start(dir, new Layout(dir, passwords));
            return new SecuredBroker(kafka, dir, Map.copyOf(passwords));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The SASL_SSL listener, where applications sign in with SCRAM. */
    public String saslBootstrapServers() {
        return EmbeddedKafka.LOOPBACK + ":" + kafka.ports().get(0);
    }

    /** The mTLS listener, where the node itself and the admin connect with certificates. */
    public String tlsBootstrapServers() {
        return EmbeddedKafka.LOOPBACK + ":" + kafka.ports().get(1);
    }

    /** The test CA's certificate, a PEM trust store. */
    public Path trustStore() {
        return dir.resolve("ca.pem");
    }

    public String password(String user) {
        return passwords.get(user);
    }

    /** The admin's client properties (mTLS with {@code CN=jps-admin}, a super user), as Kafka's tools take them. */
    public Path adminProperties() {
        return dir.resolve("admin.properties");
    }

    public KafkaConnection admin() {
        return KafkaConnection.of(tlsBootstrapServers(), adminProperties());
    }

    @Override
    public void close() {
        kafka.close();
    }

    /** Ports: 0 clients (SASL_SSL), 1 the node and the admin (SSL with client certificates), 2 the controller (the same). */
    private record Layout(Path dir, Map<String, String> passwords) implements EmbeddedKafka.Listeners {

        @Override
        public int portCount() {
            return 3;
        }

        @Override
        public Properties nodeConfig(List<Integer> ports) {
            String host = EmbeddedKafka.LOOPBACK + ":";
            Properties config = new Properties();
            config.put("controller.quorum.voters", "1@" + host + ports.get(2));
            config.put("controller.listener.names", "CONTROLLER");
            config.put("listeners", "CLIENTS://" + host + ports.get(0) + ",INTERNAL://" + host + ports.get(1)
                    + ",CONTROLLER://" + host + ports.get(2));
            config.put("advertised.listeners", "CLIENTS://" + host + ports.get(0) + ",INTERNAL://" + host + ports.get(1));
            config.put("listener.security.protocol.map", "CLIENTS:SASL_SSL,INTERNAL:SSL,CONTROLLER:SSL");
            config.put("inter.broker.listener.name", "INTERNAL");
            config.put("ssl.keystore.type", "PEM");
            config.put("ssl.keystore.location", dir.resolve(NODE + ".pem").toString());
            config.put("ssl.truststore.type", "PEM");
            config.put("ssl.truststore.location", dir.resolve("ca.pem").toString());
            config.put("listener.name.internal.ssl.client.auth", "required");
            config.put("listener.name.controller.ssl.client.auth", "required");
            config.put("sasl.enabled.mechanisms", "SCRAM-SHA-512");
            config.put("listener.name.clients.scram-sha-512.sasl.jaas.config",
                    "org.apache.kafka.common.security.scram.ScramLoginModule required;");
            config.put("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
            config.put("super.users", "User:CN=" + NODE + ";User:CN=" + ADMIN);
            return config;
        }

        @Override
        public List<String> formatArguments() {
            List<String> arguments = new ArrayList<>();
            passwords.forEach((user, password) -> {
                arguments.add("--add-scram");
                arguments.add("SCRAM-SHA-512=[name=" + user + ",password=" + password + "]");
            });
            return arguments;
        }

        /** The admin's, so that the node counts as ready only once it lets the admin in. */
        @Override
        public Map<String, Object> clientConfig(List<Integer> ports) {
            try {
                Map<String, Object> config = new LinkedHashMap<>();
                Utils.loadProps(dir.resolve("admin.properties").toString()).forEach((k, v) -> config.put((String) k, v));
                config.put("bootstrap.servers", EmbeddedKafka.LOOPBACK + ":" + ports.get(1));
                return config;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
