package dev.sluice.stages.documents;

import dev.sluice.stage.PermanentStageException;
import dev.sluice.stage.RetriableStageException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Downloads a PDF with a size cap and a total deadline (headers and body): a body still streaming
 * at the deadline is cut off by closing its stream. 4xx and non-PDF bodies are permanent failures,
 * 5xx, timeouts and I/O errors retriable.
 */
final class PdfDownloader {
    private static final ScheduledExecutorService DEADLINES = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "sluice-pdf-download-deadlines");
        t.setDaemon(true);
        return t;
    });

    private final HttpClient http;
    private final long maxBytes;
    private final Duration timeout;

    PdfDownloader(long maxBytes, Duration connectTimeout, Duration timeout) {
        this.http = HttpClient.newBuilder().connectTimeout(connectTimeout).followRedirects(HttpClient.Redirect.NORMAL).build();
        this.maxBytes = maxBytes;
        this.timeout = timeout;
    }

    /**
     * The PDF's bytes; null when {@code expectPdf} is false and the server does not say it serves a PDF.
     */
    byte[] download(URI uri, boolean expectPdf) throws Exception {
        HttpRequest req = HttpRequest.newBuilder(uri).timeout(timeout).header("Accept", "application/pdf").GET().build();
        HttpResponse<InputStream> resp;
        try {
            resp = http.send(req, HttpResponse.BodyHandlers.ofInputStream());
        } catch (IllegalArgumentException e) {
            throw new PermanentStageException("cannot request " + uri + ": " + e.getMessage(), e);
        }
        try (InputStream body = resp.body()) {
            int status = resp.statusCode();
            if (status >= 500 || status == 429) {
                throw new RetriableStageException("HTTP " + status + " from " + uri);
            }
            if (status >= 400) {
                throw new PermanentStageException("HTTP " + status + " from " + uri);
            }
            String type = resp.headers().firstValue("Content-Type").orElse("").toLowerCase(Locale.ROOT);
            if (!expectPdf && !type.startsWith("application/pdf")) {
                return null;
            }
            long declared = resp.headers().firstValueAsLong("Content-Length").orElse(-1);
            if (declared > maxBytes) {
                throw new PermanentStageException(tooLarge(uri, declared));
            }
            byte[] bytes = readCapped(uri, body);
            if (!PdfLoader.startsWithPdfHeader(bytes)) {
                throw new PermanentStageException("not a PDF: " + uri + " served " + bytes.length + " bytes of "
                        + (type.isBlank() ? "unknown type" : type));
            }
            return bytes;
        }
    }

    private byte[] readCapped(URI uri, InputStream body) throws Exception {
        ScheduledFuture<?> cut = DEADLINES.schedule(() -> closeQuietly(body), timeout.toMillis(), TimeUnit.MILLISECONDS);
        long start = System.nanoTime();
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buf = new byte[64 * 1024];
            for (int n; (n = body.read(buf)) >= 0; ) {
                out.write(buf, 0, n);
                if (out.size() > maxBytes) {
                    throw new PermanentStageException(tooLarge(uri, out.size()));
                }
            }
            return out.toByteArray();
        } catch (IOException e) {
            if (System.nanoTime() - start >= timeout.toNanos()) {
                throw new RetriableStageException("download of " + uri + " exceeded " + timeout.toMillis() + " ms", e);
            }
            throw e;
        } finally {
            cut.cancel(false);
        }
    }

    private String tooLarge(URI uri, long size) {
        return "too large: " + uri + " is " + PageLimits.bytes(size) + " or more, above the limit of "
                + PageLimits.bytes(maxBytes) + " (" + DocumentsConfig.MAX_BYTES_CONFIG + ")";
    }

    private static void closeQuietly(InputStream in) {
        try {
            in.close();
        } catch (IOException ignored) {
            // the reader sees the failure
        }
    }
}
