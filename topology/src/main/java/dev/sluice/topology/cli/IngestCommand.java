package dev.sluice.topology.cli;

import dev.sluice.ingest.documents.DocumentProducer;
import dev.sluice.schemas.documents.DocumentRef;
import dev.sluice.stages.documents.DocumentsConfig;
import dev.sluice.topology.Infrastructure;
import dev.sluice.topology.SluiceConfig;
import dev.sluice.topology.TopicBootstrap;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.admin.Admin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code sluice ingest PATH...}: pushes PDFs (files, or the *.pdf files of folders) into the documents path. */
@Command(name = "ingest", mixinStandardHelpOptions = true,
        description = "Push PDF files, or the *.pdf files of folders, into the documents path.")
final class IngestCommand implements Callable<Integer> {
    private static final Logger log = LoggerFactory.getLogger(IngestCommand.class);

    @Mixin
    ConfigOptions common;

    @Parameters(arity = "1..*", paramLabel = "PATH", description = "PDF files or folders.")
    List<Path> paths;

    @Override
    public Integer call() throws Exception {
        Map<String, String> props = common.collect(Map.of());
        SluiceConfig config = new SluiceConfig(props);
        DocumentsConfig docs = new DocumentsConfig(props, Path.of(config.getString(SluiceConfig.DATA_DIR_CONFIG)));
        List<Path> files = DocumentProducer.expand(paths);
        long totalBytes = 0;
        for (Path f : files) {
            totalBytes += Files.size(f);
        }
        try (Infrastructure infra = Infrastructure.open(config, true, false, true).requireSchemas()) {
            try (Admin admin = Admin.create(new HashMap<>(infra.clientProps()))) {
                TopicBootstrap.ensure(admin, TopicBootstrap.plan(config));
            }
            Progress progress = new Progress(files.size(), totalBytes, System.console() != null);
            try (DocumentProducer producer = new DocumentProducer(infra.clientProps(), docs.blobStore(), "cli",
                    config.names())) {
                producer.pushAll(files, progress::pushed);
            }
            progress.finish();
        }
        return 0;
    }

    /** Pages of a PDF, counted with PDFBox (objects cached in temporary files); -1 if it does not open. */
    static int pages(Path file) {
        try (org.apache.pdfbox.pdmodel.PDDocument d = org.apache.pdfbox.Loader.loadPDF(file.toFile(), "", null, null,
                org.apache.pdfbox.io.IOUtils.createTempFileOnlyStreamCache())) {
            return d.getNumberOfPages();
        } catch (java.io.IOException | RuntimeException e) {
            return -1;
        }
    }

    /** A progress bar on a terminal (files, bytes, pages), plain log lines otherwise. */
    private static final class Progress {
        private final int files;
        private final long bytes;
        private final boolean tty;
        private long doneBytes;
        private long pages;

        Progress(int files, long bytes, boolean tty) {
            this.files = files;
            this.bytes = bytes;
            this.tty = tty;
        }

        void pushed(Path file, DocumentRef ref, int done, int total) {
            doneBytes += ref.getSizeBytes();
            int n = pages(file);
            pages += Math.max(n, 0);
            if (!tty) {
                log.info("pushed {} ({} bytes, {}) as document {} [{}/{} files]", file, ref.getSizeBytes(),
                        n < 0 ? "not readable as a PDF here" : n + " pages", ref.getDocId(), done, total);
                return;
            }
            int width = 30;
            int filled = (int) (width * (bytes == 0 ? 1.0 : (double) doneBytes / bytes));
            System.err.printf("\r[%s%s] %d/%d files, %.1f/%.1f MB, %d pages  %s", "#".repeat(filled), " ".repeat(width - filled),
                    done, files, doneBytes / 1048576.0, bytes / 1048576.0, pages, abbreviate(file.getFileName().toString()));
        }

        void finish() {
            if (tty) {
                System.err.println();
            }
            System.err.printf("pushed %d files, %d bytes, %d pages%n", files, doneBytes, pages);
        }

        private static String abbreviate(String name) {
            String n = name.length() > 30 ? name.substring(0, 27) + "..." : name;
            return String.format("%-30s", n);
        }
    }
}
