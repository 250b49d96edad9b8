package dev.sluice.stages.documents;

import dev.sluice.blob.BlobStore;
import dev.sluice.schemas.AvroSerde;
import dev.sluice.schemas.documents.DocumentRef;
import dev.sluice.schemas.documents.DocumentTopics;
import dev.sluice.schemas.hn.HnLink;
import dev.sluice.stage.Output;
import dev.sluice.stage.PermanentStageException;
import dev.sluice.stage.Stage;
import dev.sluice.stage.StageContext;
import dev.sluice.stage.Scaling;
import dev.sluice.stage.StageDefinition;
import dev.sluice.stage.StageProvider;
import dev.sluice.stage.StageRecord;
import dev.sluice.stages.hn.HnTopics;
import java.net.URI;
import javax.net.ssl.SSLSocketFactory;
import org.apache.kafka.common.serialization.Serdes;

/**
 * PDF links: a Hacker News story whose url ends in {@code .pdf} (or, with
 * {@code pdf.links.probe.content.type}, off by default, serves {@code Content-Type: application/pdf})
 * is downloaded (size-capped, with a deadline, redirects followed by hand) into the blob store and
 * enters the documents path as a {@link DocumentRef} with source {@code hn:<story id>}. Other links
 * are skipped. A link (or redirect) to a loopback, private, link-local or otherwise internal address,
 * or with a scheme other than http and https, is refused and dead-lettered naming the rule
 * ({@link LinkGuard}); {@code pdf.links.allowed.hosts} exempts hosts of a private deployment.
 * Downloads run in the transactional loop, a few at once.
 */
public final class PdfLinkStage implements Stage<Long, HnLink, String, DocumentRef>, StageProvider {
    public static final String NAME = "pdf-links";
    private static final int CONCURRENCY = 4;

    private PdfDownloader downloader;
    private BlobStore blobs;
    private boolean probe;

    @Override
    public StageDefinition<Long, HnLink, String, DocumentRef> definition() {
        return StageDefinition.<Long, HnLink, String, DocumentRef>builder(NAME)
                .input(HnTopics.LINKS, Serdes.Long(), new AvroSerde<>(HnLink.class))
                .output(DocumentTopics.DOCUMENTS, Serdes.String(), new AvroSerde<>(DocumentRef.class))
                .stage(PdfLinkStage::new)
                .uses(StageDefinition.Use.WEB, StageDefinition.Use.BLOB_STORE)
                .concurrency(CONCURRENCY)
                .config(DocumentsConfig.CONFIG, DocumentsConfig::of)
                .scaling(Scaling.DEFAULT.lagThreshold(50).replicas(1, 4))
                .build();
    }

    @Override
    public void init(StageContext context) {
        DocumentsConfig config = DocumentsConfig.of(context.config());
        this.blobs = config.blobStore();
        this.probe = config.getBoolean(DocumentsConfig.PROBE_CONTENT_TYPE_CONFIG);
        this.downloader = config.pdfDownloader(LinkGuard.DNS, (SSLSocketFactory) SSLSocketFactory.getDefault());
    }

    @Override
    public void process(StageRecord<Long, HnLink> record, Output<String, DocumentRef> out) throws Exception {
        HnLink link = record.value();
        if (link == null || (!link.getLooksLikePdf() && !probe)) {
            return;
        }
        URI uri;
        try {
            uri = URI.create(link.getUrl().trim());
        } catch (IllegalArgumentException e) {
            throw new PermanentStageException("story " + link.getStoryId() + " links to an unparseable url: " + e.getMessage(), e);
        }
        byte[] pdf = downloader.download(uri, link.getLooksLikePdf());
        if (pdf == null) {
            return;
        }
        String ref = blobs.put(pdf);
        String path = uri.getPath() == null ? "" : uri.getPath();
        String filename = path.contains("/") ? path.substring(path.lastIndexOf('/') + 1) : path;
        out.emit(BlobStore.digestOf(ref), DocumentRef.newBuilder().setDocId(BlobStore.digestOf(ref)).setBlob(ref)
                .setSource("hn:" + link.getStoryId()).setFilename(filename.isBlank() ? null : filename)
                .setSizeBytes(pdf.length).setSubmittedAt(record.timestamp()).build());
    }
}
