package dev.sluice.stages.documents;

import java.io.IOException;
import java.util.List;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.apache.pdfbox.text.TextPosition;

/**
 * A page's text layer, and whether it is good enough to skip OCR, decided like Apache Tika's
 * {@code AUTO} strategy: too few characters, or too many glyphs without a Unicode mapping, means OCR.
 */
final class TextLayer {
    /** The extracted text and the glyph counts the decision rests on. */
    record Extract(String text, int glyphs, int unmapped) {
        boolean needsOcr(int minChars, double maxUnmappedRatio) {
            return glyphs < minChars || (glyphs > 0 && (double) unmapped / glyphs > maxUnmappedRatio);
        }
    }

    private TextLayer() {
    }

    /** Extracts page {@code number} (1-based). */
    static Extract of(PDDocument pdf, int number) throws IOException {
        Counting stripper = new Counting();
        stripper.setStartPage(number);
        stripper.setEndPage(number);
        stripper.setSortByPosition(true);
        String text = stripper.getText(pdf);
        return new Extract(text, stripper.glyphs, stripper.unmapped);
    }

    /** Counts visible glyphs and those whose Unicode is missing or a replacement/control character. */
    private static final class Counting extends PDFTextStripper {
        int glyphs;
        int unmapped;

        @Override
        protected void writeString(String text, List<TextPosition> positions) throws IOException {
            for (TextPosition p : positions) {
                String u = p.getUnicode();
                boolean bad = u == null || u.isEmpty() || u.indexOf('\uFFFD') >= 0 || (u.length() == 1 && u.charAt(0) < 0x20);
                if (bad) {
                    unmapped++;
                    glyphs++;
                } else if (!u.isBlank()) {
                    glyphs++;
                }
            }
            super.writeString(text, positions);
        }
    }
}
