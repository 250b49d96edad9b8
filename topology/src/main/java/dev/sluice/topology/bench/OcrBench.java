package dev.sluice.topology.bench;

import dev.sluice.stages.documents.DocumentsConfig;
import dev.sluice.stages.documents.OcrEngine;
import dev.sluice.stages.documents.PdfLoader;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.rendering.ImageType;
import org.apache.pdfbox.rendering.PDFRenderer;

/**
 * OCR quality and speed, side by side in one run on the same page images: the scanned corpus's
 * pages rendered once at 300 dpi greyscale to PNG, then read (a) by the {@code tesseract} command
 * line, one process per page, {@code parallelism} at once, and (b) by Sluice's {@link OcrEngine}
 * as the pages stage uses it, one handle per thread kept loaded, {@code parallelism} threads.
 * Character error rate against {@code NAME.gt.txt} (pages split by form feeds).
 */
public final class OcrBench {
    /** One rendered page and its ground truth. */
    record Page(Path png, String truth) {
    }

    /** Pages read, seconds, and the summed edits and ground-truth characters. */
    public record Result(int pages, double seconds, long edits, long chars) {
        public double cer() {
            return chars == 0 ? 0 : (double) edits / chars;
        }
    }

    private final List<Page> pages = new ArrayList<>();
    private final DocumentsConfig config;

    public OcrBench(Path scannedDir, Path workDir) throws Exception {
        this.config = new DocumentsConfig(Map.of(), workDir);
        List<Path> pdfs;
        try (Stream<Path> s = Files.list(scannedDir)) {
            pdfs = s.filter(p -> p.toString().endsWith(".pdf"))
                    .filter(p -> Files.exists(Path.of(p.toString().replaceAll("\\.pdf$", ".gt.txt")))).sorted().toList();
        }
        for (Path pdf : pdfs) {
            render(pdf, workDir);
        }
    }

    public int pageCount() {
        return pages.size();
    }

    private void render(Path pdf, Path workDir) throws Exception {
        String[] truth = Files.readString(Path.of(pdf.toString().replaceAll("\\.pdf$", ".gt.txt")), StandardCharsets.UTF_8).split("\f");
        try (PDDocument doc = PdfLoader.open(Files.readAllBytes(pdf))) {
            PDFRenderer r = new PDFRenderer(doc);
            for (int i = 0; i < doc.getNumberOfPages(); i++) {
                BufferedImage img = r.renderImageWithDPI(i, 300, ImageType.GRAY);
                Path png = workDir.resolve(pdf.getFileName() + "-" + (i + 1) + ".png");
                ImageIO.write(img, "png", png.toFile());
                pages.add(new Page(png, i < truth.length ? truth[i] : ""));
            }
        }
    }

    /** The {@code tesseract} command line, one process per page, {@code parallelism} at once. */
    public Result tesseractCli(int parallelism) throws Exception {
        return timed(parallelism, page -> {
            ProcessBuilder pb = new ProcessBuilder("tesseract", page.png().toString(), "stdout", "--dpi", "300", "-l", "eng");
            pb.environment().put("OMP_THREAD_LIMIT", "1");
            pb.redirectError(ProcessBuilder.Redirect.DISCARD);
            Process p = pb.start();
            String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (p.waitFor() != 0) {
                throw new IOException("tesseract failed on " + page.png());
            }
            return text;
        }, null);
    }

    /** Sluice's engine: one loaded handle per thread, {@code parallelism} threads. */
    public Result sluice(int parallelism) throws Exception {
        ThreadLocal<OcrEngine> engines = ThreadLocal.withInitial(() -> new OcrEngine(config.tessdata(), "eng", 300));
        List<OcrEngine> all = java.util.Collections.synchronizedList(new ArrayList<>());
        ExecutorService warm = Executors.newFixedThreadPool(parallelism);
        return timed(parallelism, page -> {
            OcrEngine e = engines.get();
            BufferedImage grey = toGrey(ImageIO.read(page.png().toFile()));
            return e.recognize(grey, Duration.ofMinutes(5)).text();
        }, warm);
    }

    @FunctionalInterface
    interface Reader {
        String read(Page page) throws Exception;
    }

    private Result timed(int parallelism, Reader reader, ExecutorService pool) throws Exception {
        ExecutorService exec = pool != null ? pool : Executors.newFixedThreadPool(parallelism);
        try {
            if (pool != null) {
                warmUp(exec, parallelism, reader);
            }
            long start = System.nanoTime();
            List<Future<String>> texts = new ArrayList<>();
            for (Page p : pages) {
                texts.add(exec.submit(() -> reader.read(p)));
            }
            long edits = 0;
            long chars = 0;
            for (int i = 0; i < pages.size(); i++) {
                String text = texts.get(i).get();
                edits += CharacterErrorRate.edits(text, pages.get(i).truth());
                chars += CharacterErrorRate.length(pages.get(i).truth());
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            return new Result(pages.size(), seconds, edits, chars);
        } finally {
            exec.shutdown();
            exec.awaitTermination(1, TimeUnit.MINUTES);
        }
    }

    /** Loads the model in every thread before timing: the stage keeps its engines loaded. */
    private void warmUp(ExecutorService exec, int parallelism, Reader reader) throws Exception {
        java.util.concurrent.CyclicBarrier barrier = new java.util.concurrent.CyclicBarrier(parallelism);
        List<Future<?>> f = new ArrayList<>();
        for (int i = 0; i < parallelism; i++) {
            f.add(exec.submit(() -> {
                barrier.await();
                return null;
            }));
        }
        for (Future<?> x : f) {
            x.get();
        }
    }

    static BufferedImage toGrey(BufferedImage img) {
        if (img.getType() == BufferedImage.TYPE_BYTE_GRAY) {
            return img;
        }
        BufferedImage g = new BufferedImage(img.getWidth(), img.getHeight(), BufferedImage.TYPE_BYTE_GRAY);
        g.getGraphics().drawImage(img, 0, 0, null);
        return g;
    }
}
