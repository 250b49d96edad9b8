package dev.sluice.tools.bench;

import dev.sluice.blob.FolderBlobStore;
import dev.sluice.schemas.documents.DocumentPage;
import dev.sluice.schemas.documents.PageMethod;
import dev.sluice.stages.documents.DocumentsConfig;
import dev.sluice.stages.documents.PageReader;
import dev.sluice.stages.documents.PdfLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.apache.pdfbox.pdmodel.PDDocument;

/**
 * Text-layer pages per second: every page of the text corpus read by {@link PageReader} as the
 * pages stage reads it (Tika's AUTO decision, text extraction, image extraction to a blob store),
 * {@code rounds} times over, on {@code threads} threads with one open document per thread.
 */
public final class TextLayerBench {
    private final List<byte[]> pdfs = new ArrayList<>();
    private final Path workDir;

    public TextLayerBench(Path textDir, Path workDir) throws Exception {
        this.workDir = workDir;
        try (Stream<Path> s = Files.list(textDir)) {
            for (Path p : s.filter(f -> f.toString().endsWith(".pdf")).sorted().toList()) {
                pdfs.add(Files.readAllBytes(p));
            }
        }
    }

    /** Returns {pages, seconds}; fails if any page took the OCR path. */
    public double[] run(int threads, int rounds) throws Exception {
        DocumentsConfig config = new DocumentsConfig(Map.of(), workDir);
        FolderBlobStore blobs = new FolderBlobStore(workDir.resolve("blobs"));
        ExecutorService exec = Executors.newFixedThreadPool(threads);
        AtomicInteger pages = new AtomicInteger();
        long start = System.nanoTime();
        try {
            List<Future<?>> jobs = new ArrayList<>();
            for (int r = 0; r < rounds; r++) {
                for (byte[] pdf : pdfs) {
                    jobs.add(exec.submit(() -> {
                        try (PDDocument doc = PdfLoader.open(pdf); PageReader reader = new PageReader(config, blobs)) {
                            for (int i = 1; i <= doc.getNumberOfPages(); i++) {
                                DocumentPage p = reader.read(doc, i);
                                if (p.getMethod() != PageMethod.TEXT_LAYER) {
                                    throw new IllegalStateException("page " + i + " took " + p.getMethod());
                                }
                                pages.incrementAndGet();
                            }
                        }
                        return null;
                    }));
                }
            }
            for (Future<?> f : jobs) {
                f.get();
            }
        } finally {
            exec.shutdown();
        }
        return new double[] {pages.get(), (System.nanoTime() - start) / 1e9};
    }
}
