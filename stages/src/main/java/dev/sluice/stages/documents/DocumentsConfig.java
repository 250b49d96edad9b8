package dev.sluice.stages.documents;

import dev.sluice.blob.BlobStore;
import dev.sluice.blob.BlobStoreConfig;
import dev.sluice.blob.BlobStores;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import javax.net.ssl.SSLSocketFactory;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;

/**
 * Configuration of the documents path (split, pages, assemble, pdf-links): its limits and the OCR
 * engine; the blob store's settings ({@link BlobStoreConfig}) are read from the same properties.
 * Every limit has a safe default; contradictions fail at start.
 */
public final class DocumentsConfig extends AbstractConfig {
    /** The folder blob store's folder: {@link BlobStoreConfig#DIR_CONFIG}. */
    public static final String BLOB_DIR_CONFIG = BlobStoreConfig.DIR_CONFIG;
    public static final String MAX_BYTES_CONFIG = "documents.max.bytes";
    public static final String MAX_BYTES_DOC = "Largest document accepted (split stage and HN PDF downloads); larger ones are dead-lettered.";
    public static final String MAX_PAGES_CONFIG = "documents.max.pages";
    public static final String MAX_PAGES_DOC = "Most pages a document may have; more is dead-lettered by the split stage.";
    public static final String MAX_PAGE_PIXELS_CONFIG = "documents.max.page.pixels";
    public static final String MAX_PAGE_PIXELS_DOC = "Most pixels of a page rendered for OCR, checked before rendering from the size PDFBox renders (crop box at ocr.dpi, after rotation; PDFBox ignores UserUnit). A page OCRed peaks at about 5 bytes a pixel (measured: the 1-byte greyscale render, its copy for Tesseract and Tesseract's own images), 4 more when a page with blend modes is first drawn in ARGB. The default, 40 million (A2 at 300 dpi; A4 is 8.7 million), is about 215 MB a page, so ocr.threads=2 fits a 1-2 GiB pod. Also caps one image decoded for extraction.";
    public static final String MAX_PAGE_IMAGES_CONFIG = "documents.max.page.images";
    public static final String MAX_PAGE_IMAGES_DOC = "Most distinct images one page may draw (found in its content stream, not its resources); a page drawing more is failed and dead-lettered.";
    public static final String MAX_PAGE_IMAGE_BYTES_CONFIG = "documents.max.page.image.bytes";
    public static final String MAX_PAGE_IMAGE_BYTES_DOC = "Most bytes the images one page draws may take decoded, from each image's declared width × height × components × bits per component (and soft mask), checked before any is decoded for rendering or extraction; a page over it is failed and dead-lettered.";
    public static final String TEXT_TIMEOUT_MS_CONFIG = "pages.text.timeout.ms";
    public static final String TEXT_TIMEOUT_MS_DOC = "Longest text-layer extraction of one page; a page past it is failed and dead-lettered, and its document reopened for the next page.";
    public static final String IMAGES_TIMEOUT_MS_CONFIG = "pages.images.timeout.ms";
    public static final String IMAGES_TIMEOUT_MS_DOC = "Longest image extraction of one page (finding, decoding, storing); a page past it is failed and dead-lettered, and its document reopened for the next page.";
    public static final String RENDER_TIMEOUT_MS_CONFIG = "pages.render.timeout.ms";
    public static final String RENDER_TIMEOUT_MS_DOC = "Longest rendering of one page for OCR; a page past it is failed and dead-lettered, and its document reopened for the next page.";
    public static final String OCR_DPI_CONFIG = "ocr.dpi";
    public static final String OCR_DPI_DOC = "Resolution pages are rendered at (greyscale) for OCR; Tesseract is told this dpi.";
    public static final String OCR_PAGE_TIMEOUT_MS_CONFIG = "ocr.page.timeout.ms";
    public static final String OCR_PAGE_TIMEOUT_MS_DOC = "Longest OCR of one page: Tesseract's own deadline stops recognition, the page is marked failed with its reason and dead-lettered, and the engine handle is reused.";
    public static final String OCR_THREADS_CONFIG = "ocr.threads";
    public static final String OCR_THREADS_DOC = "Pages read at once per instance of the pages stage (one PDF document and one Tesseract handle per thread). Start the JVM with OMP_THREAD_LIMIT=1.";
    public static final String OCR_LANGUAGE_CONFIG = "ocr.language";
    public static final String OCR_LANGUAGE_DOC = "Tesseract language(s), e.g. eng or eng+deu.";
    public static final String TESSDATA_CONFIG = "ocr.tessdata.dir";
    public static final String TESSDATA_DOC = "Folder of *.traineddata; empty looks at TESSDATA_PREFIX, then Debian's /usr/share/tesseract-ocr/5/tessdata.";
    public static final String TEXT_MIN_CHARS_CONFIG = "text.layer.min.chars";
    public static final String TEXT_MIN_CHARS_DOC = "A page whose text layer has fewer characters is OCRed (Apache Tika's AUTO rule).";
    public static final String TEXT_MAX_UNMAPPED_CONFIG = "text.layer.max.unmapped.ratio";
    public static final String TEXT_MAX_UNMAPPED_DOC = "A page whose text layer has a larger share of glyphs without a Unicode mapping is OCRed (Apache Tika's AUTO rule).";
    public static final String PAGES_MAX_POLL_CONFIG = "pages.max.poll.records";
    public static final String PAGES_MAX_POLL_DOC = "Page tasks per poll, and so per transaction, of the pages stage; keep a batch well within max.poll.interval.ms (5 min) at about 1 s per OCR page per thread.";
    public static final String DOCUMENT_TIMEOUT_MS_CONFIG = "documents.timeout.ms";
    public static final String DOCUMENT_TIMEOUT_MS_DOC = "Total time a document may take from its first page result, in stream time (page-result record timestamps, never the assembler's wall clock): the assembler then emits it as TIMED_OUT with the missing pages named.";
    public static final String ASSEMBLE_CHECK_MS_CONFIG = "assemble.check.interval.ms";
    public static final String ASSEMBLE_CHECK_MS_DOC = "How often, in stream time, the assembler looks for documents past documents.timeout.ms and closed markers past assemble.closed.retention.ms.";
    public static final String ASSEMBLE_CLOSED_RETENTION_MS_CONFIG = "assemble.closed.retention.ms";
    public static final String ASSEMBLE_CLOSED_RETENTION_MS_DOC = "How long, in stream time, the assembler remembers that a document was emitted, so a late page of it is dead-lettered instead of opening it again. Keep it at least the retention of sluice.documents.page-results (the broker default is 7 days).";
    public static final String DOWNLOAD_TIMEOUT_MS_CONFIG = "pdf.download.timeout.ms";
    public static final String DOWNLOAD_TIMEOUT_MS_DOC = "Longest download of one HN-linked PDF, body included.";
    public static final String DOWNLOAD_CONNECT_MS_CONFIG = "pdf.download.connect.timeout.ms";
    public static final String DOWNLOAD_CONNECT_MS_DOC = "TCP connect timeout of PDF downloads.";
    public static final String PROBE_CONTENT_TYPE_CONFIG = "pdf.links.probe.content.type";
    public static final String PROBE_CONTENT_TYPE_DOC = "Also fetch HN links whose path does not end in .pdf to see whether they serve Content-Type application/pdf (one request to an arbitrary site per story link: off by default).";
    public static final String MAX_REDIRECTS_CONFIG = "pdf.download.max.redirects";
    public static final String MAX_REDIRECTS_DOC = "Most redirects followed for one PDF link; every hop is checked against the address rules before it is fetched. More is dead-lettered.";
    public static final String ALLOWED_HOSTS_CONFIG = "pdf.links.allowed.hosts";
    public static final String ALLOWED_HOSTS_DOC = "Host names and IP addresses or CIDR blocks (e.g. 127.0.0.1/32, 10.1.0.0/16, papers.intranet) that PDF links may reach although they are loopback, private, link-local, CGNAT, unique-local or multicast; for tests and private deployments. Empty: links (and their redirects) must resolve only to public addresses; others are dead-lettered naming the rule.";

    public static final ConfigDef CONFIG = new ConfigDef()
            .define(MAX_BYTES_CONFIG, Type.LONG, 100L << 20, Range.between(1, 2L << 30), Importance.MEDIUM, MAX_BYTES_DOC)
            .define(MAX_PAGES_CONFIG, Type.INT, 1_000, Range.between(1, 100_000), Importance.MEDIUM, MAX_PAGES_DOC)
            .define(MAX_PAGE_PIXELS_CONFIG, Type.LONG, 40_000_000L, Range.between(1, 1_000_000_000), Importance.MEDIUM, MAX_PAGE_PIXELS_DOC)
            .define(MAX_PAGE_IMAGES_CONFIG, Type.INT, 200, Range.between(1, 100_000), Importance.LOW, MAX_PAGE_IMAGES_DOC)
            .define(MAX_PAGE_IMAGE_BYTES_CONFIG, Type.LONG, 128L << 20, Range.between(1, 1L << 30), Importance.MEDIUM, MAX_PAGE_IMAGE_BYTES_DOC)
            .define(TEXT_TIMEOUT_MS_CONFIG, Type.LONG, 30_000L, Range.between(10, 3_600_000), Importance.MEDIUM, TEXT_TIMEOUT_MS_DOC)
            .define(IMAGES_TIMEOUT_MS_CONFIG, Type.LONG, 30_000L, Range.between(10, 3_600_000), Importance.MEDIUM, IMAGES_TIMEOUT_MS_DOC)
            .define(RENDER_TIMEOUT_MS_CONFIG, Type.LONG, 30_000L, Range.between(10, 3_600_000), Importance.MEDIUM, RENDER_TIMEOUT_MS_DOC)
            .define(OCR_DPI_CONFIG, Type.INT, 300, Range.between(72, 1200), Importance.LOW, OCR_DPI_DOC)
            .define(OCR_PAGE_TIMEOUT_MS_CONFIG, Type.LONG, 60_000L, Range.between(100, 3_600_000), Importance.MEDIUM, OCR_PAGE_TIMEOUT_MS_DOC)
            .define(OCR_THREADS_CONFIG, Type.INT, Runtime.getRuntime().availableProcessors(), Range.between(1, 256), Importance.HIGH, OCR_THREADS_DOC)
            .define(OCR_LANGUAGE_CONFIG, Type.STRING, "eng", Importance.LOW, OCR_LANGUAGE_DOC)
            .define(TESSDATA_CONFIG, Type.STRING, "", Importance.LOW, TESSDATA_DOC)
            .define(TEXT_MIN_CHARS_CONFIG, Type.INT, 10, Range.atLeast(0), Importance.LOW, TEXT_MIN_CHARS_DOC)
            .define(TEXT_MAX_UNMAPPED_CONFIG, Type.DOUBLE, 0.1, Range.between(0.0, 1.0), Importance.LOW, TEXT_MAX_UNMAPPED_DOC)
            .define(PAGES_MAX_POLL_CONFIG, Type.INT, 16, Range.between(1, 10_000), Importance.LOW, PAGES_MAX_POLL_DOC)
            .define(DOCUMENT_TIMEOUT_MS_CONFIG, Type.LONG, 1_800_000L, Range.atLeast(1_000), Importance.MEDIUM, DOCUMENT_TIMEOUT_MS_DOC)
            .define(ASSEMBLE_CHECK_MS_CONFIG, Type.LONG, 10_000L, Range.atLeast(100), Importance.LOW, ASSEMBLE_CHECK_MS_DOC)
            .define(ASSEMBLE_CLOSED_RETENTION_MS_CONFIG, Type.LONG, 7 * 24 * 3_600_000L, Range.atLeast(1_000), Importance.MEDIUM, ASSEMBLE_CLOSED_RETENTION_MS_DOC)
            .define(DOWNLOAD_TIMEOUT_MS_CONFIG, Type.LONG, 60_000L, Range.atLeast(1), Importance.MEDIUM, DOWNLOAD_TIMEOUT_MS_DOC)
            .define(DOWNLOAD_CONNECT_MS_CONFIG, Type.LONG, 5_000L, Range.atLeast(1), Importance.LOW, DOWNLOAD_CONNECT_MS_DOC)
            .define(PROBE_CONTENT_TYPE_CONFIG, Type.BOOLEAN, false, Importance.LOW, PROBE_CONTENT_TYPE_DOC)
            .define(MAX_REDIRECTS_CONFIG, Type.INT, 5, Range.between(0, 20), Importance.LOW, MAX_REDIRECTS_DOC)
            .define(ALLOWED_HOSTS_CONFIG, Type.LIST, "", Importance.MEDIUM, ALLOWED_HOSTS_DOC);

    private final BlobStoreConfig blobs;

    /** @param dataDir where {@code blob.dir} defaults to ({@code <dataDir>/blobs}) */
    public DocumentsConfig(Map<?, ?> props, Path dataDir) {
        super(CONFIG, props, false);
        this.blobs = new BlobStoreConfig(props, dataDir);
        if (getLong(ASSEMBLE_CHECK_MS_CONFIG) > getLong(DOCUMENT_TIMEOUT_MS_CONFIG)) {
            throw new ConfigException(ASSEMBLE_CHECK_MS_CONFIG + " (" + getLong(ASSEMBLE_CHECK_MS_CONFIG) + ") exceeds "
                    + DOCUMENT_TIMEOUT_MS_CONFIG + " (" + getLong(DOCUMENT_TIMEOUT_MS_CONFIG)
                    + "): lower the check interval or raise the document timeout");
        }
        if (getLong(ASSEMBLE_CLOSED_RETENTION_MS_CONFIG) < getLong(DOCUMENT_TIMEOUT_MS_CONFIG)) {
            throw new ConfigException(ASSEMBLE_CLOSED_RETENTION_MS_CONFIG + " (" + getLong(ASSEMBLE_CLOSED_RETENTION_MS_CONFIG)
                    + ") is shorter than " + DOCUMENT_TIMEOUT_MS_CONFIG + " (" + getLong(DOCUMENT_TIMEOUT_MS_CONFIG)
                    + "): late pages could open an emitted document again; raise it to the page-results topic's retention");
        }
        if (getLong(DOCUMENT_TIMEOUT_MS_CONFIG) < getLong(OCR_PAGE_TIMEOUT_MS_CONFIG)) {
            throw new ConfigException(DOCUMENT_TIMEOUT_MS_CONFIG + " is shorter than one page's OCR ("
                    + OCR_PAGE_TIMEOUT_MS_CONFIG + "): every OCR document could time out; raise it or lower the page timeout");
        }
        linkGuard(LinkGuard.DNS);
    }

    /** Config from a stage's settings map (the runtime passes every validated setting). */
    public static DocumentsConfig of(Map<?, ?> stageConfig) {
        Object dir = stageConfig.containsKey("data.dir") ? stageConfig.get("data.dir") : "./data";
        return new DocumentsConfig(stageConfig, Path.of(String.valueOf(dir)));
    }

    /** Opens the configured blob store (folder or S3). */
    public BlobStore blobStore() {
        return BlobStores.open(blobs);
    }

    /** The blob store's settings, validated with these. */
    public BlobStoreConfig blobConfig() {
        return blobs;
    }

    public PageLimits limits() {
        return new PageLimits(getLong(MAX_BYTES_CONFIG), getInt(MAX_PAGES_CONFIG), getLong(MAX_PAGE_PIXELS_CONFIG),
                getInt(OCR_DPI_CONFIG), getInt(MAX_PAGE_IMAGES_CONFIG), getLong(MAX_PAGE_IMAGE_BYTES_CONFIG));
    }

    /** The downloader of HN-linked PDFs: size cap, deadline, redirects and the address rules with the allow-list. */
    PdfDownloader pdfDownloader(LinkGuard.Resolver resolver, SSLSocketFactory tls) {
        return new PdfDownloader(new PinnedHttp(Duration.ofMillis(getLong(DOWNLOAD_CONNECT_MS_CONFIG)), tls), linkGuard(resolver),
                getLong(MAX_BYTES_CONFIG), Duration.ofMillis(getLong(DOWNLOAD_TIMEOUT_MS_CONFIG)), getInt(MAX_REDIRECTS_CONFIG));
    }

    private LinkGuard linkGuard(LinkGuard.Resolver resolver) {
        try {
            return new LinkGuard(getList(ALLOWED_HOSTS_CONFIG), resolver);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(ALLOWED_HOSTS_CONFIG, getList(ALLOWED_HOSTS_CONFIG), e.getMessage());
        }
    }

    public Duration ocrPageTimeout() {
        return Duration.ofMillis(getLong(OCR_PAGE_TIMEOUT_MS_CONFIG));
    }

    /**
     * The longest one page task can take in the pages stage: the sum of its step limits (text
     * extraction, image extraction, rendering, OCR), each enforced by a watchdog or Tesseract's
     * deadline. Opening the document (once per document per thread) is not included. The runtime
     * can size {@code max.poll.interval.ms} as records per poll × this ÷ threads.
     */
    public long worstCasePageMillis() {
        return getLong(TEXT_TIMEOUT_MS_CONFIG) + getLong(IMAGES_TIMEOUT_MS_CONFIG) + getLong(RENDER_TIMEOUT_MS_CONFIG)
                + getLong(OCR_PAGE_TIMEOUT_MS_CONFIG);
    }

    /** The tessdata folder to load models from. */
    public String tessdata() {
        String dir = getString(TESSDATA_CONFIG);
        if (!dir.isBlank()) {
            return dir;
        }
        String env = System.getenv("TESSDATA_PREFIX");
        if (env != null && !env.isBlank()) {
            return env;
        }
        Path debian = Path.of("/usr/share/tesseract-ocr/5/tessdata");
        if (!Files.isDirectory(debian)) {
            throw new ConfigException(TESSDATA_CONFIG, "", "no tessdata found: install tesseract-ocr-eng or set " + TESSDATA_CONFIG);
        }
        return debian.toString();
    }
}
