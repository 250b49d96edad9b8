package dev.sluice.stages.documents;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.common.PDRectangle;

/**
 * PDFs generated for tests. The shared corpus's {@code bad/huge-page.pdf} is, as shipped, a
 * 75×75 pt page (about 1 inch, no UserUnit), so the pixel limit is proven on a page built here.
 */
public final class PdfFixtures {

    private PdfFixtures() {
    }

    /** One blank page of {@code inches}×{@code inches} (200 in is PDF's largest page without UserUnit). */
    public static byte[] blankPage(float inches) throws IOException {
        try (PDDocument doc = new PDDocument()) {
            doc.addPage(new PDPage(new PDRectangle(inches * 72, inches * 72)));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            doc.save(out);
            return out.toByteArray();
        }
    }
}
