package dev.sluice.stages.documents;

import dev.sluice.stage.PermanentStageException;
import dev.sluice.stage.RetriableStageException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;

/**
 * Downloads a PDF with a size cap and a total deadline (every hop, headers and body): a body still
 * streaming at the deadline is cut off by closing its connection. Every URL, the link's and each
 * redirect's, is vetted by the {@link LinkGuard} and fetched from the very address it vetted
 * ({@link PinnedHttp}); redirects are followed by hand up to {@code pdf.download.max.redirects}.
 * Refused links, 4xx and non-PDF bodies are permanent failures; 5xx, 429, timeouts and I/O errors
 * retriable.
 */
final class PdfDownloader {
    private static final Set<Integer> REDIRECTS = Set.of(301, 302, 303, 307, 308);

    private final PinnedHttp http;
    private final LinkGuard guard;
    private final long maxBytes;
    private final Duration timeout;
    private final int maxRedirects;

    PdfDownloader(PinnedHttp http, LinkGuard guard, long maxBytes, Duration timeout, int maxRedirects) {
        this.http = http;
        this.guard = guard;
        this.maxBytes = maxBytes;
        this.timeout = timeout;
        this.maxRedirects = maxRedirects;
    }

    /**
     * The PDF's bytes; null when {@code expectPdf} is false and the server does not say it serves a PDF.
     */
    byte[] download(URI link, boolean expectPdf) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        URI uri = link;
        for (int hop = 0; ; hop++) {
            InetAddress address = vet(link, uri);
            try (PinnedHttp.Response resp = http.get(uri, address, deadline, "application/pdf")) {
                if (!REDIRECTS.contains(resp.status())) {
                    return accept(uri, resp, expectPdf);
                }
                if (hop >= maxRedirects) {
                    throw new PermanentStageException("too many redirects: " + link + " still redirects after " + maxRedirects
                            + " hops (" + DocumentsConfig.MAX_REDIRECTS_CONFIG + ")");
                }
                uri = next(uri, resp);
            } catch (IOException e) {
                if (System.nanoTime() - deadline >= 0) {
                    throw new RetriableStageException("download of " + link + " exceeded " + timeout.toMillis() + " ms", e);
                }
                throw e;
            }
        }
    }

    private InetAddress vet(URI link, URI hop) throws Exception {
        try {
            return guard.vet(hop);
        } catch (PermanentStageException e) {
            throw hop == link ? e : new PermanentStageException(e.getMessage() + " (a redirect of " + link + ")", e);
        }
    }

    private static URI next(URI from, PinnedHttp.Response resp) throws PermanentStageException {
        String location = resp.header("Location").orElseThrow(() ->
                new PermanentStageException("HTTP " + resp.status() + " from " + from + " without a Location"));
        try {
            return from.resolve(location.trim());
        } catch (IllegalArgumentException e) {
            throw new PermanentStageException("HTTP " + resp.status() + " from " + from + " to an unparseable Location: "
                    + e.getMessage(), e);
        }
    }

    private byte[] accept(URI uri, PinnedHttp.Response resp, boolean expectPdf) throws Exception {
        int status = resp.status();
        if (status >= 500 || status == 429) {
            throw new RetriableStageException("HTTP " + status + " from " + uri);
        }
        if (status >= 400) {
            throw new PermanentStageException("HTTP " + status + " from " + uri);
        }
        String type = resp.header("Content-Type").orElse("").toLowerCase(Locale.ROOT);
        if (!expectPdf && !type.startsWith("application/pdf")) {
            return null;
        }
        long declared = resp.header("Content-Length").map(PdfDownloader::parseLong).orElse(-1L);
        if (declared > maxBytes) {
            throw new PermanentStageException(tooLarge(uri, declared));
        }
        byte[] bytes = readCapped(uri, resp.body());
        if (!PdfLoader.startsWithPdfHeader(bytes)) {
            throw new PermanentStageException("not a PDF: " + uri + " served " + bytes.length + " bytes of "
                    + (type.isBlank() ? "unknown type" : type));
        }
        return bytes;
    }

    private byte[] readCapped(URI uri, InputStream body) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[64 * 1024];
        for (int n; (n = body.read(buf)) >= 0; ) {
            out.write(buf, 0, n);
            if (out.size() > maxBytes) {
                throw new PermanentStageException(tooLarge(uri, out.size()));
            }
        }
        return out.toByteArray();
    }

    private String tooLarge(URI uri, long size) {
        return "too large: " + uri + " is " + PageLimits.bytes(size) + " or more, above the limit of "
                + PageLimits.bytes(maxBytes) + " (" + DocumentsConfig.MAX_BYTES_CONFIG + ")";
    }

    private static long parseLong(String s) {
        try {
            return Long.parseLong(s.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
