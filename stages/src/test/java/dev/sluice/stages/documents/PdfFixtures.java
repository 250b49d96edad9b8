package dev.sluice.stages.documents;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.cos.COSStream;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDFormContentStream;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.PDResources;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.common.PDStream;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;
import org.apache.pdfbox.pdmodel.graphics.form.PDFormXObject;
import org.apache.pdfbox.pdmodel.graphics.image.LosslessFactory;
import org.apache.pdfbox.pdmodel.graphics.image.PDImageXObject;

/**
 * PDFs generated for tests. The shared corpus's {@code bad/huge-page.pdf} is, as shipped, a
 * 75×75 pt page (about 1 inch, no UserUnit), so the pixel limit is proven on a page built here.
 */
public final class PdfFixtures {
    /** The text {@link #textPage} and {@link #slowTextThenTextPage} write. */
    public static final String TEXT = "The quick brown fox jumps over the lazy dog";

    private PdfFixtures() {
    }

    /** One blank page of {@code inches}×{@code inches} (200 in is PDF's largest page without UserUnit). */
    public static byte[] blankPage(float inches) throws IOException {
        try (PDDocument doc = new PDDocument()) {
            doc.addPage(new PDPage(new PDRectangle(inches * 72, inches * 72)));
            return save(doc);
        }
    }

    /**
     * One page whose media box is {@code mediaPt}, crop box {@code cropPt} (both square, in
     * points), with {@code /Rotate rotation} and {@code /UserUnit userUnit}.
     */
    public static byte[] boxedPage(float mediaPt, float cropPt, int rotation, float userUnit) throws IOException {
        try (PDDocument doc = new PDDocument()) {
            PDPage page = new PDPage(new PDRectangle(mediaPt, mediaPt * 1.5f));
            page.setCropBox(new PDRectangle(cropPt, cropPt * 1.25f));
            page.setRotation(rotation);
            page.setUserUnit(userUnit);
            doc.addPage(page);
            return save(doc);
        }
    }

    /** A text page that draws {@code drawn} distinct images and lists {@code unused} more it never draws. */
    public static byte[] imagesPage(int drawn, int unused) throws IOException {
        try (PDDocument doc = new PDDocument()) {
            PDPage page = new PDPage(PDRectangle.A4);
            doc.addPage(page);
            try (PDPageContentStream cs = new PDPageContentStream(doc, page)) {
                text(cs, 700);
                for (int i = 0; i < drawn; i++) {
                    cs.drawImage(square(doc, i), 50 + 30 * (i % 15), 100 + 30 * (i / 15), 20, 20);
                }
            }
            for (int i = 0; i < unused; i++) {
                page.getResources().add(square(doc, 1000 + i));
            }
            return save(doc);
        }
    }

    /**
     * A text page that draws one image through a form XObject, and lists a second form (with its
     * own image) that it never draws: only the first image is on the page.
     */
    public static byte[] imageInFormPage() throws IOException {
        try (PDDocument doc = new PDDocument()) {
            PDPage page = new PDPage(PDRectangle.A4);
            doc.addPage(page);
            PDFormXObject drawnForm = formWith(doc, square(doc, 1));
            PDFormXObject unusedForm = formWith(doc, square(doc, 2));
            try (PDPageContentStream cs = new PDPageContentStream(doc, page)) {
                text(cs, 700);
                cs.drawForm(drawnForm);
            }
            page.getResources().add(unusedForm);
            return save(doc);
        }
    }

    /**
     * A text page drawing one image whose dictionary declares {@code width}×{@code height} RGB
     * pixels at 8 bits while its data is a few bytes: decoding it would allocate width×height×3.
     */
    public static byte[] declaredBombPage(int width, int height) throws IOException {
        try (PDDocument doc = new PDDocument()) {
            PDPage page = new PDPage(PDRectangle.A4);
            doc.addPage(page);
            COSStream s = doc.getDocument().createCOSStream();
            s.setItem(COSName.TYPE, COSName.XOBJECT);
            s.setItem(COSName.SUBTYPE, COSName.IMAGE);
            s.setInt(COSName.WIDTH, width);
            s.setInt(COSName.HEIGHT, height);
            s.setInt(COSName.BITS_PER_COMPONENT, 8);
            s.setItem(COSName.COLORSPACE, COSName.DEVICERGB);
            try (OutputStream out = s.createOutputStream(COSName.FLATE_DECODE)) {
                out.write(new byte[1024]);
            }
            try (PDPageContentStream cs = new PDPageContentStream(doc, page)) {
                text(cs, 700);
                cs.drawImage(new PDImageXObject(new PDStream(s), null), 100, 100, 100, 100);
            }
            return save(doc);
        }
    }

    /**
     * Two pages: the first shows {@link #TEXT} through forms nested {@code depth} deep, each
     * drawing the one below {@code fanOut} times ({@code fanOut^depth} lines from a file of a few
     * kilobytes: slow to extract); the second shows {@link #TEXT} once.
     */
    public static byte[] slowTextThenTextPage(int fanOut, int depth) throws IOException {
        try (PDDocument doc = new PDDocument()) {
            PDPage slow = new PDPage(PDRectangle.A4);
            doc.addPage(slow);
            PDFormXObject form = new PDFormXObject(doc);
            form.setBBox(PDRectangle.A4);
            form.setResources(new PDResources());
            try (PDFormContentStream cs = new PDFormContentStream(form)) {
                text(cs, 400);
            }
            for (int level = 0; level < depth; level++) {
                PDFormXObject outer = new PDFormXObject(doc);
                outer.setBBox(PDRectangle.A4);
                outer.setResources(new PDResources());
                try (PDFormContentStream cs = new PDFormContentStream(outer)) {
                    for (int i = 0; i < fanOut; i++) {
                        cs.drawForm(form);
                    }
                }
                form = outer;
            }
            try (PDPageContentStream cs = new PDPageContentStream(doc, slow)) {
                cs.drawForm(form);
            }
            doc.addPage(textPage(doc));
            return save(doc);
        }
    }

    private static PDPage textPage(PDDocument doc) throws IOException {
        PDPage page = new PDPage(PDRectangle.A4);
        try (PDPageContentStream cs = new PDPageContentStream(doc, page)) {
            text(cs, 700);
        }
        return page;
    }

    private static void text(PDPageContentStream cs, float y) throws IOException {
        cs.beginText();
        cs.setFont(new PDType1Font(Standard14Fonts.FontName.HELVETICA), 12);
        cs.newLineAtOffset(50, y);
        cs.showText(TEXT);
        cs.endText();
    }

    private static void text(PDFormContentStream cs, float y) throws IOException {
        cs.beginText();
        cs.setFont(new PDType1Font(Standard14Fonts.FontName.HELVETICA), 12);
        cs.newLineAtOffset(50, y);
        cs.showText(TEXT);
        cs.endText();
    }

    private static PDFormXObject formWith(PDDocument doc, PDImageXObject image) throws IOException {
        PDFormXObject form = new PDFormXObject(doc);
        form.setBBox(new PDRectangle(100, 100));
        form.setResources(new PDResources());
        try (PDFormContentStream cs = new PDFormContentStream(form)) {
            cs.drawImage(image, 0, 0, 50, 50);
        }
        return form;
    }

    /** A 16×16 image in a colour of its own, so that no two are the same blob. */
    private static PDImageXObject square(PDDocument doc, int n) throws IOException {
        BufferedImage img = new BufferedImage(16, 16, BufferedImage.TYPE_INT_RGB);
        java.awt.Graphics2D g = img.createGraphics();
        g.setColor(new Color(n * 37 % 256, n * 91 % 256, n * 13 % 256));
        g.fillRect(0, 0, 16, 16);
        g.setColor(Color.BLACK);
        g.drawString(Integer.toString(n % 100), 1, 12);
        g.dispose();
        return LosslessFactory.createFromImage(doc, img);
    }

    private static byte[] save(PDDocument doc) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        doc.save(out);
        return out.toByteArray();
    }
}
