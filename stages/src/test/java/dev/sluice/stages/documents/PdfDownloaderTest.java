package dev.sluice.stages.documents;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.testkit.hn.SharedFixtures;
import dev.sluice.stage.PermanentStageException;
import dev.sluice.stage.RetriableStageException;
import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLSocketFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The PDF downloader's address rules, redirects and deadline against a real server on 127.0.0.1. */
class PdfDownloaderTest {
    private static final String LOOPBACK = "127.0.0.1/32";

    private LocalSite site;
    private byte[] pdf;

    @BeforeEach
    void start() throws Exception {
        pdf = Files.readAllBytes(SharedFixtures.corpus("text/tar.1.pdf"));
        site = LocalSite.http().serve("/paper.pdf", "application/pdf", pdf, false);
    }

    @AfterEach
    void stop() {
        site.close();
    }

    private static PdfDownloader downloader(String allowed, LinkGuard.Resolver resolver, Object... extra) {
        Map<String, Object> p = new HashMap<>(Map.of(DocumentsConfig.ALLOWED_HOSTS_CONFIG, allowed,
                DocumentsConfig.DOWNLOAD_TIMEOUT_MS_CONFIG, "5000"));
        for (int i = 0; i < extra.length; i += 2) {
            p.put((String) extra[i], extra[i + 1]);
        }
        return new DocumentsConfig(p, Path.of("unused")).pdfDownloader(resolver, (SSLSocketFactory) SSLSocketFactory.getDefault());
    }

    private static PdfDownloader guarded() {
        return downloader("", LinkGuard.DNS);
    }

    @ParameterizedTest(name = "{0} is refused by rule {1}")
    @CsvSource({
        "http://0.0.0.0/x.pdf, unspecified-ipv4", "http://127.0.0.53/x.pdf, loopback-ipv4",
        "http://169.254.169.254/latest/meta-data/x.pdf, link-local-ipv4", "http://10.0.0.1/x.pdf, private-ipv4",
        "http://172.16.0.1/x.pdf, private-ipv4", "http://172.31.255.254/x.pdf, private-ipv4",
        "http://192.168.1.1/x.pdf, private-ipv4", "http://100.64.0.1/x.pdf, cgnat-ipv4", "http://100.127.255.254/x.pdf, cgnat-ipv4",
        "http://224.0.0.251/x.pdf, multicast-ipv4", "http://255.255.255.255/x.pdf, reserved-ipv4",
        "http://[::]/x.pdf, unspecified-ipv6", "http://[::1]/x.pdf, loopback-ipv6", "http://[fe80::1]/x.pdf, link-local-ipv6",
        "http://[fc00::1]/x.pdf, unique-local-ipv6", "http://[fd12:3456::1]/x.pdf, unique-local-ipv6",
        "http://[fec0::1]/x.pdf, site-local-ipv6", "http://[ff02::1]/x.pdf, multicast-ipv6",
        "http://[::ffff:127.0.0.1]/x.pdf, loopback-ipv4", "http://[::ffff:a9fe:a9fe]/x.pdf, link-local-ipv4",
        "http://[::10.0.0.1]/x.pdf, private-ipv4", "http://[64:ff9b::c0a8:101]/x.pdf, private-ipv4",
        "http://[2002:a00:1::1]/x.pdf, private-ipv4", "https://10.1.2.3:8443/x.pdf, private-ipv4"})
    void shouldRefuseALinkToABlockedRangeNamingTheRule(String url, String rule) {
        assertThatThrownBy(() -> guarded().download(URI.create(url), true))
                .isInstanceOf(PermanentStageException.class)
                .hasMessageStartingWith("refused " + url + ": ")
                .hasMessageEndingWith("(rule: " + rule + ")");
    }

    @Test
    void shouldSayWhatAPrivateAddressIs() {
        assertThatThrownBy(() -> guarded().download(URI.create("http://10.0.0.1/x.pdf"), true))
                .hasMessage("refused http://10.0.0.1/x.pdf: 10.0.0.1 is a private address (rule: private-ipv4)");
    }

    @Test
    void shouldRefuseTheLocalServerItselfWithoutTheAllowList() {
        assertThatThrownBy(() -> guarded().download(URI.create(site.url("/paper.pdf")), true))
                .isInstanceOf(PermanentStageException.class).hasMessageEndingWith("(rule: loopback-ipv4)");
        assertThat(site.hits("/paper.pdf")).as("no request was made").isZero();
    }

    @Test
    void shouldRefuseLinkThatResolvesToLoopback() {
        String url = "http://localhost:" + site.port() + "/paper.pdf";
        assertThatThrownBy(() -> guarded().download(URI.create(url), true))
                .isInstanceOf(PermanentStageException.class)
                .hasMessageStartingWith("refused " + url + ": localhost resolves to ")
                .hasMessageContaining("a loopback address (rule: loopback-ipv");
        assertThat(site.hits("/paper.pdf")).isZero();
    }

    @Test
    void shouldRefuseANameWhenAnyOfItsAddressesIsInternal() throws Exception {
        InetAddress[] mixed = {InetAddress.getByName("203.0.113.7"), InetAddress.getByName("10.9.8.7")};
        PdfDownloader d = downloader("", host -> mixed);
        assertThatThrownBy(() -> d.download(URI.create("http://mixed.test/x.pdf"), true))
                .hasMessage("refused http://mixed.test/x.pdf: mixed.test resolves to 10.9.8.7, a private address (rule: private-ipv4)");
    }

    @Test
    void shouldPermitLoopbackOnTheAllowList() throws Exception {
        assertThat(downloader(LOOPBACK, LinkGuard.DNS).download(URI.create(site.url("/paper.pdf")), true)).isEqualTo(pdf);
        assertThat(downloader("127.0.0.0/8", LinkGuard.DNS).download(URI.create(site.url("/paper.pdf")), true)).isEqualTo(pdf);
    }

    @Test
    void shouldPermitAnAllowListedNameAndSendItAsTheHostHeader() throws Exception {
        PdfDownloader d = downloader("papers.internal", host -> new InetAddress[] {InetAddress.getByName("127.0.0.1")});
        assertThat(d.download(URI.create("http://papers.internal:" + site.port() + "/paper.pdf"), true)).isEqualTo(pdf);
        assertThat(site.hosts).containsExactly("papers.internal:" + site.port());
    }

    @Test
    void shouldConnectToTheAddressItCheckedWithoutASecondLookup() throws Exception {
        AtomicInteger lookups = new AtomicInteger();
        LinkGuard.Resolver rebinding = host -> new InetAddress[] {
            InetAddress.getByName(lookups.getAndIncrement() == 0 ? "127.0.0.1" : "10.0.0.1")};
        PdfDownloader d = downloader(LOOPBACK, rebinding);
        assertThat(d.download(URI.create("http://rebind.test:" + site.port() + "/paper.pdf"), true)).isEqualTo(pdf);
        assertThat(lookups).as("one lookup: the address checked is the address connected to").hasValue(1);
        assertThat(site.hosts).containsExactly("rebind.test:" + site.port());
    }

    @Test
    void shouldRefuseARedirectFromAnAllowedHostToABlockedAddressAtTheHop() {
        site.redirect("/to-metadata", 302, "http://169.254.169.254/latest/meta-data/creds.pdf")
                .redirect("/to-other-loopback", 307, "http://127.0.0.2:" + site.port() + "/paper.pdf");
        PdfDownloader d = downloader(LOOPBACK, LinkGuard.DNS);
        assertThatThrownBy(() -> d.download(URI.create(site.url("/to-metadata")), true))
                .isInstanceOf(PermanentStageException.class)
                .hasMessage("refused http://169.254.169.254/latest/meta-data/creds.pdf: 169.254.169.254 is a link-local address"
                        + " (rule: link-local-ipv4) (a redirect of " + site.url("/to-metadata") + ")");
        assertThatThrownBy(() -> d.download(URI.create(site.url("/to-other-loopback")), true))
                .hasMessageContaining("127.0.0.2 is a loopback address (rule: loopback-ipv4)");
        assertThat(site.hits("/to-metadata")).isOne();
        assertThat(site.hits("/paper.pdf")).isZero();
    }

    @Test
    void shouldFollowARelativeRedirectWithinTheAllowList() throws Exception {
        site.redirect("/latest", 301, "/paper.pdf");
        assertThat(downloader(LOOPBACK, LinkGuard.DNS).download(URI.create(site.url("/latest")), true)).isEqualTo(pdf);
        assertThat(site.hits("/paper.pdf")).isOne();
    }

    @Test
    void shouldGiveUpAfterTheMostRedirectsAllowed() {
        site.redirect("/loop", 302, "/loop");
        PdfDownloader d = downloader(LOOPBACK, LinkGuard.DNS, DocumentsConfig.MAX_REDIRECTS_CONFIG, "3");
        assertThatThrownBy(() -> d.download(URI.create(site.url("/loop")), true))
                .isInstanceOf(PermanentStageException.class).hasMessageStartingWith("too many redirects")
                .hasMessageContaining(DocumentsConfig.MAX_REDIRECTS_CONFIG);
        assertThat(site.hits("/loop")).isEqualTo(4);
    }

    @Test
    void shouldRefuseANonHttpSchemeEvenOnTheAllowList() {
        PdfDownloader d = downloader(LOOPBACK, LinkGuard.DNS);
        for (String url : new String[] {"ftp://127.0.0.1/x.pdf", "file:///etc/passwd", "gopher://127.0.0.1:70/x"}) {
            assertThatThrownBy(() -> d.download(URI.create(url), true)).isInstanceOf(PermanentStageException.class)
                    .hasMessageStartingWith("refused " + url + ": only http and https").hasMessageEndingWith("(rule: scheme)");
        }
        site.redirect("/to-file", 302, "file:///etc/passwd");
        assertThatThrownBy(() -> d.download(URI.create(site.url("/to-file")), true)).hasMessageContaining("(rule: scheme)");
    }

    @Test
    void shouldReadAChunkedBodyAndCapItsSize() throws Exception {
        site.serve("/chunked.pdf", "application/pdf", pdf, true);
        assertThat(downloader(LOOPBACK, LinkGuard.DNS).download(URI.create(site.url("/chunked.pdf")), true)).isEqualTo(pdf);
        PdfDownloader small = downloader(LOOPBACK, LinkGuard.DNS, DocumentsConfig.MAX_BYTES_CONFIG, String.valueOf(pdf.length / 2));
        assertThatThrownBy(() -> small.download(URI.create(site.url("/chunked.pdf")), true)).hasMessageStartingWith("too large");
    }

    @Test
    void shouldCutOffABodyStillStreamingAtTheDeadline() {
        site.drip("/slow.pdf", pdf, 50);
        PdfDownloader d = downloader(LOOPBACK, LinkGuard.DNS, DocumentsConfig.DOWNLOAD_TIMEOUT_MS_CONFIG, "400");
        long start = System.nanoTime();
        assertThatThrownBy(() -> d.download(URI.create(site.url("/slow.pdf")), true))
                .isInstanceOf(RetriableStageException.class).hasMessageContaining("exceeded 400 ms");
        assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(3_000);
    }
}
