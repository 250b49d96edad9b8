package dev.sluice.tools.bench;

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

    /** Pages read, wall seconds, CPU seconds spent reading, and the summed edits and ground-truth characters. */
    public record Result(int pages, double seconds, double cpuSeconds, long edits, long chars) {
        public double cer() {
            return chars == 0 ? 0 : (double) edits / chars;
        }
    }

    /** A page's text and the CPU time its reading took. */
    record Read(String text, double cpuSeconds) {
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
        return timed(parallelism, () -> { }, page -> {
            // the shell's `times` reports the CPU time of the tesseract child (user and system)
            ProcessBuilder pb = new ProcessBuilder("sh", "-c", "tesseract \"$1\" stdout --dpi 300 -l eng 2>/dev/null; s=$?; times >&2; exit $s",
                    "sh", page.png().toString());
            pb.environment().put("OMP_THREAD_LIMIT", "1");
            Process p = pb.start();
            java.util.concurrent.CompletableFuture<String> err = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                try {
                    return new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
                } catch (IOException e) {
                    return "";
                }
            });
            String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (p.waitFor() != 0) {
                throw new IOException("tesseract failed on " + page.png());
            }
            return new Read(text, childCpuSeconds(err.get()));
        });
    }

    /**
     * Sluice's engine as the pages stage runs it: one handle per thread, loaded before timing (the
     * stage keeps its handles for its lifetime), the page image decoded from the same PNG.
     */
    public Result sluice(int parallelism) throws Exception {
        List<OcrEngine> all = java.util.Collections.synchronizedList(new ArrayList<>());
        ThreadLocal<OcrEngine> engines = ThreadLocal.withInitial(() -> {
            OcrEngine e = new OcrEngine(config.tessdata(), "eng", 300);
            all.add(e);
            return e;
        });
        try {
            java.lang.management.ThreadMXBean cpu = java.lang.management.ManagementFactory.getThreadMXBean();
            return timed(parallelism, engines::get, page -> {
                long before = cpu.getCurrentThreadCpuTime();
                String text = engines.get().recognize(toGrey(ImageIO.read(page.png().toFile())), Duration.ofMinutes(5)).text();
                return new Read(text, (cpu.getCurrentThreadCpuTime() - before) / 1e9);
            });
        } finally {
            all.forEach(OcrEngine::close);
        }
    }

    @FunctionalInterface
    interface Reader {
        Read read(Page page) throws Exception;
    }

    private Result timed(int parallelism, Runnable perThreadInit, Reader reader) throws Exception {
        ExecutorService exec = Executors.newFixedThreadPool(parallelism);
        try {
            java.util.concurrent.CyclicBarrier barrier = new java.util.concurrent.CyclicBarrier(parallelism);
            List<Future<?>> warm = new ArrayList<>();
            for (int i = 0; i < parallelism; i++) {
                warm.add(exec.submit(() -> {
                    barrier.await();
                    perThreadInit.run();
                    return null;
                }));
            }
            for (Future<?> f : warm) {
                f.get();
            }
            long start = System.nanoTime();
            List<Future<Read>> texts = new ArrayList<>();
            for (Page p : pages) {
                texts.add(exec.submit(() -> reader.read(p)));
            }
            List<Read> read = new ArrayList<>();
            for (Future<Read> f : texts) {
                read.add(f.get());
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            long edits = 0;
            long chars = 0;
            double cpuSeconds = 0;
            for (int i = 0; i < pages.size(); i++) {
                cpuSeconds += read.get(i).cpuSeconds();
                edits += CharacterErrorRate.edits(read.get(i).text(), pages.get(i).truth());
                chars += CharacterErrorRate.length(pages.get(i).truth());
            }
            return new Result(pages.size(), seconds, cpuSeconds, edits, chars);
        } finally {
            exec.shutdown();
            exec.awaitTermination(1, TimeUnit.MINUTES);
        }
    }

    /** Children's user + system seconds from the second line of the shell's {@code times}, e.g. {@code 0m1.872s 0m0.064s}. */
    static double childCpuSeconds(String times) {
        String[] lines = times.strip().split("\n");
        double total = 0;
        for (String t : lines[lines.length - 1].trim().split("\\s+")) {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d+)m([0-9.]+)s").matcher(t);
            if (m.matches()) {
                total += Integer.parseInt(m.group(1)) * 60 + Double.parseDouble(m.group(2));
            }
        }
        return total;
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
