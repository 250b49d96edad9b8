package dev.sluice.topology.it;

import dev.sluice.topology.embedded.BrokerSecurity;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * A self-signed certificate for 127.0.0.1 made with the JDK's {@code keytool}: the broker's PKCS12 key
 * store and a trust store holding the certificate, with fresh random passwords, as {@link BrokerSecurity}.
 */
final class TestCertificates {

    private TestCertificates() {
    }

    /** Key and trust stores under {@code dir}, and the super user {@code superUser} with a random password. */
    static BrokerSecurity create(Path dir, String superUser) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        String password = secret();
        Path keyStore = dir.resolve("broker.p12");
        Path cert = dir.resolve("broker.crt");
        Path trustStore = dir.resolve("truststore.p12");
        keytool("-genkeypair", "-alias", "broker", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=127.0.0.1",
                "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-validity", "2", "-storetype", "PKCS12",
                "-keystore", keyStore.toString(), "-storepass", password, "-keypass", password);
        keytool("-exportcert", "-rfc", "-alias", "broker", "-keystore", keyStore.toString(), "-storepass", password,
                "-file", cert.toString());
        keytool("-importcert", "-noprompt", "-alias", "broker", "-file", cert.toString(), "-storetype", "PKCS12",
                "-keystore", trustStore.toString(), "-storepass", password);
        return new BrokerSecurity(keyStore, trustStore, password, superUser, secret());
    }

    /** A random password of letters and digits. */
    static String secret() {
        return UUID.randomUUID().toString().replace("-", "");
    }

    private static void keytool(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "keytool").toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IllegalStateException("keytool " + args[0] + " failed: " + out);
        }
    }
}
