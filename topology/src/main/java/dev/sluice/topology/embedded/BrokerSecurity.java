package dev.sluice.topology.embedded;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.regex.Pattern;

/**
 * SASL_SSL with SCRAM-SHA-512 and ACLs for the {@link EmbeddedKafka} broker: its only client listener
 * is SASL_SSL (a PKCS12 key store whose certificate names 127.0.0.1), the KRaft controller listener is
 * SASL_PLAINTEXT with PLAIN on loopback, Kafka's {@code StandardAuthorizer} denies what no ACL allows,
 * and {@code superUser} (a SCRAM user added when the log dir is formatted) may do anything: the admin
 * and test harness. Other users are created with the admin API ({@code alterUserScramCredentials}).
 *
 * @param keyStore      the broker's PKCS12 key store (key and self-signed certificate)
 * @param trustStore    a PKCS12 trust store holding that certificate, for clients and the broker itself
 * @param storePassword password of both stores (and of the key)
 * @param superUser     name of the super user, letters, digits, '-' and '_' only
 * @param superPassword its password, same characters
 */
public record BrokerSecurity(Path keyStore, Path trustStore, String storePassword, String superUser, String superPassword) {
    public static final String MECHANISM = "SCRAM-SHA-512";
    public static final String PROTOCOL = "SASL_SSL";
    static final String CONTROLLER_USER = "controller";
    private static final Pattern PLAIN_WORD = Pattern.compile("[A-Za-z0-9_-]+");
    private static final String SCRAM_LOGIN = "org.apache.kafka.common.security.scram.ScramLoginModule";
    private static final String PLAIN_LOGIN = "org.apache.kafka.common.security.plain.PlainLoginModule";

    public BrokerSecurity {
        Objects.requireNonNull(keyStore, "keyStore");
        Objects.requireNonNull(trustStore, "trustStore");
        for (String word : new String[] {storePassword, superUser, superPassword}) {
            if (word == null || !PLAIN_WORD.matcher(word).matches()) {
                throw new IllegalArgumentException("store password, super user and its password must match " + PLAIN_WORD);
            }
        }
    }

    /** Client settings of {@code user}: SASL_SSL, SCRAM-SHA-512, trusting the broker's certificate. */
    public Map<String, Object> clientProps(String bootstrapServers, String user, String password) {
        if (!PLAIN_WORD.matcher(user).matches() || !PLAIN_WORD.matcher(password).matches()) {
            throw new IllegalArgumentException("user and password must match " + PLAIN_WORD);
        }
        Map<String, Object> p = new HashMap<>();
        p.put("bootstrap.servers", bootstrapServers);
        p.put("security.protocol", PROTOCOL);
        p.put("sasl.mechanism", MECHANISM);
        p.put("sasl.jaas.config", scramJaas(user, password));
        p.put("ssl.truststore.location", trustStore.toAbsolutePath().toString());
        p.put("ssl.truststore.password", storePassword);
        p.put("ssl.truststore.type", "PKCS12");
        return p;
    }

    /** The {@code sasl.jaas.config} of a SCRAM client. */
    public static String scramJaas(String user, String password) {
        return SCRAM_LOGIN + " required username=\"" + user + "\" password=\"" + password + "\";";
    }

    /** The broker's settings for these listeners; {@code controllerPassword} authenticates it to its own controller. */
    Properties brokerProps(int port, int controllerPort, String controllerPassword) {
        Properties p = new Properties();
        p.put("listeners", PROTOCOL + "://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
        p.put("advertised.listeners", PROTOCOL + "://127.0.0.1:" + port);
        p.put("listener.security.protocol.map", PROTOCOL + ":" + PROTOCOL + ",CONTROLLER:SASL_PLAINTEXT");
        p.put("inter.broker.listener.name", PROTOCOL);
        p.put("sasl.mechanism.inter.broker.protocol", MECHANISM);
        p.put("listener.name.sasl_ssl.sasl.enabled.mechanisms", MECHANISM);
        p.put("listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config", scramJaas(superUser, superPassword));
        p.put("sasl.mechanism.controller.protocol", "PLAIN");
        p.put("listener.name.controller.sasl.enabled.mechanisms", "PLAIN");
        p.put("listener.name.controller.plain.sasl.jaas.config", PLAIN_LOGIN + " required username=\"" + CONTROLLER_USER
                + "\" password=\"" + controllerPassword + "\" user_" + CONTROLLER_USER + "=\"" + controllerPassword + "\";");
        p.put("ssl.keystore.location", keyStore.toAbsolutePath().toString());
        p.put("ssl.keystore.password", storePassword);
        p.put("ssl.key.password", storePassword);
        p.put("ssl.keystore.type", "PKCS12");
        p.put("ssl.truststore.location", trustStore.toAbsolutePath().toString());
        p.put("ssl.truststore.password", storePassword);
        p.put("ssl.truststore.type", "PKCS12");
        p.put("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
        p.put("super.users", "User:" + superUser + ";User:" + CONTROLLER_USER);
        p.put("allow.everyone.if.no.acl.found", "false");
        return p;
    }

    @Override
    public String toString() {
        return "BrokerSecurity[" + PROTOCOL + "/" + MECHANISM + ", super user " + superUser + ", key store " + keyStore + "]";
    }

    /** The storage tool's {@code --add-scram} value that creates the super user when formatting. */
    String scramCredential() {
        return MECHANISM + "=[name=" + superUser + ",password=" + superPassword + "]";
    }
}
