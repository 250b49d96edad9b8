package dev.sluice.stages.documents;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.testkit.hn.SharedFixtures;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * https through the pinned connection: a server on 127.0.0.1 with a certificate for
 * {@code papers.internal} (made by the JDK's keytool) is reached under that name with SNI, and the
 * certificate is checked against the name in the link, not against the address connected to.
 */
class PdfDownloaderHttpsTest {
    private static final char[] PASSWORD = "changeit".toCharArray();

    @TempDir
    static Path tmp;

    private static LocalSite site;
    private static SSLContext client;
    private static byte[] pdf;

    @BeforeAll
    static void start() throws Exception {
        Path keys = tmp.resolve("site.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "site", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=papers.internal",
                "-ext", "SAN=dns:papers.internal", "-validity", "2", "-storetype", "PKCS12", "-keystore", keys.toString(),
                "-storepass", "changeit", "-keypass", "changeit").redirectErrorStream(true).start();
        assertThat(keytool.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(keytool.exitValue()).as(new String(keytool.getInputStream().readAllBytes())).isZero();
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keys)) {
            store.load(in, PASSWORD);
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(store, PASSWORD);
        SSLContext server = SSLContext.getInstance("TLS");
        server.init(kmf.getKeyManagers(), null, null);
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("site", store.getCertificate("site"));
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        client = SSLContext.getInstance("TLS");
        client.init(null, tmf.getTrustManagers(), null);
        pdf = Files.readAllBytes(SharedFixtures.corpus("text/tar.1.pdf"));
        site = LocalSite.https(server).serve("/paper.pdf", "application/pdf", pdf, false);
    }

    @AfterAll
    static void stop() {
        site.close();
    }

    private static PdfDownloader downloader(String allowed) {
        return new DocumentsConfig(Map.of(DocumentsConfig.ALLOWED_HOSTS_CONFIG, allowed), Path.of("unused"))
                .pdfDownloader(host -> new InetAddress[] {InetAddress.getByName("127.0.0.1")}, client.getSocketFactory());
    }

    @Test
    void shouldFetchOverHttpsFromThePinnedAddressUnderTheLinksHostName() throws Exception {
        URI link = URI.create("https://papers.internal:" + site.port() + "/paper.pdf");
        assertThat(downloader("papers.internal").download(link, true)).isEqualTo(pdf);
        assertThat(site.hosts).contains("papers.internal:" + site.port());
    }

    @Test
    void shouldRefuseACertificateThatDoesNotNameTheLinksHost() {
        for (String url : List.of("https://other.internal:" + site.port() + "/paper.pdf", site.url("/paper.pdf"))) {
            assertThatThrownBy(() -> downloader("other.internal,127.0.0.1").download(URI.create(url), true))
                    .isInstanceOf(SSLHandshakeException.class).hasMessageContaining("No subject alternative");
        }
    }
}
