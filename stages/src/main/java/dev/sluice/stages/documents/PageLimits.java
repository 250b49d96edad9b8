package dev.sluice.stages.documents;

import dev.sluice.stage.PermanentStageException;
import java.util.Locale;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.common.PDRectangle;

/**
 * The limits a document and its pages must keep, with messages a person understands, e.g.
 * {@code page 1 is 200×200 in: 3.6 gigapixels at 300 dpi exceeds the limit of 50 megapixels}.
 *
 * @param maxBytes      largest document
 * @param maxPages      most pages
 * @param maxPagePixels most pixels of a rendered page
 * @param dpi           rendering resolution
 */
public record PageLimits(long maxBytes, int maxPages, long maxPagePixels, int dpi) {

    public void checkBytes(long size) throws PermanentStageException {
        if (size > maxBytes) {
            throw new PermanentStageException(String.format(Locale.ROOT, "too large: %s exceeds the limit of %s (%s)",
                    bytes(size), bytes(maxBytes), DocumentsConfig.MAX_BYTES_CONFIG));
        }
    }

    public void checkPages(int pages) throws PermanentStageException {
        if (pages > maxPages) {
            throw new PermanentStageException(String.format(Locale.ROOT, "%d pages exceeds the limit of %d pages (%s)",
                    pages, maxPages, DocumentsConfig.MAX_PAGES_CONFIG));
        }
    }

    /** Fails when rendering page {@code number} at {@link #dpi} would exceed the pixel limit. */
    public void checkRender(PDPage page, int number) throws PermanentStageException {
        double wIn = inches(page, true);
        double hIn = inches(page, false);
        double pixels = (wIn * dpi) * (hIn * dpi);
        if (pixels > maxPagePixels) {
            throw new PermanentStageException(String.format(Locale.ROOT,
                    "page %d is %s×%s in: %s at %d dpi exceeds the limit of %s (%s)", number, num(wIn), num(hIn),
                    pixels(pixels), dpi, pixels(maxPagePixels), DocumentsConfig.MAX_PAGE_PIXELS_CONFIG));
        }
    }

    /** Page width or height in inches, with the page's UserUnit. */
    static double inches(PDPage page, boolean width) {
        PDRectangle box = page.getCropBox();
        float unit = page.getUserUnit();
        return (width ? box.getWidth() : box.getHeight()) * unit / 72.0;
    }

    private static String num(double v) {
        return Math.abs(v - Math.rint(v)) < 0.05 ? Long.toString(Math.round(v)) : String.format(Locale.ROOT, "%.1f", v);
    }

    static String pixels(double p) {
        if (p >= 1e9) {
            return String.format(Locale.ROOT, "%.1f gigapixels", p / 1e9);
        }
        return String.format(Locale.ROOT, "%.1f megapixels", p / 1e6);
    }

    static String bytes(long b) {
        return b >= 1 << 20 ? String.format(Locale.ROOT, "%.1f MB", b / 1048576.0) : b + " bytes";
    }
}
