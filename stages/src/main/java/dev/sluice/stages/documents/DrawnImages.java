package dev.sluice.stages.documents;

import dev.sluice.stage.PermanentStageException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import org.apache.pdfbox.contentstream.PDFStreamEngine;
import org.apache.pdfbox.contentstream.operator.Operator;
import org.apache.pdfbox.contentstream.operator.OperatorName;
import org.apache.pdfbox.contentstream.operator.OperatorProcessor;
import org.apache.pdfbox.cos.COSBase;
import org.apache.pdfbox.cos.COSDictionary;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.cos.COSStream;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDResources;
import org.apache.pdfbox.pdmodel.graphics.PDXObject;
import org.apache.pdfbox.pdmodel.graphics.form.PDFormXObject;
import org.apache.pdfbox.pdmodel.graphics.image.PDImageXObject;

/**
 * The images a page actually draws, found by walking its content stream ({@code Do} of image
 * XObjects, forms followed once each, inline {@code BI} images) rather than listing its resources,
 * which may name images the page never shows. Each image's decoded size is taken from its
 * dictionary ({@link ImageSize}) before anything decodes it, and the walk stops as soon as the
 * page passes {@link PageLimits}'s image count or decoded bytes. Inline images count towards the bytes (rendering decodes them) but are
 * not listed. Only the operators it needs are registered, so fonts and paths are never loaded.
 */
final class DrawnImages extends PDFStreamEngine {
    /** An image XObject the page draws, with the width and height its dictionary declares. */
    record Drawn(PDImageXObject image, int width, int height) {
    }

    private static final int MAX_FORM_DEPTH = 25;

    private final PageLimits limits;
    private final int number;
    private final List<Drawn> drawn = new ArrayList<>();
    private final Set<COSBase> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    private long declaredBytes;

    private DrawnImages(PageLimits limits, int number) {
        this.limits = limits;
        this.number = number;
        addOperator(new DrawObject());
        addOperator(new InlineImage());
    }

    /** The distinct images page {@code number} draws, in drawing order; fails past a limit. */
    static List<Drawn> of(PDPage page, int number, PageLimits limits) throws IOException, PermanentStageException {
        DrawnImages walk = new DrawnImages(limits, number);
        try {
            walk.processPage(page);
        } catch (LimitExceeded e) {
            throw e.reason;
        }
        return walk.drawn;
    }

    private void image(PDImageXObject image, COSStream dict, PDResources res) {
        drawn.add(new Drawn(image, dict.getInt(COSName.WIDTH, 0), dict.getInt(COSName.HEIGHT, 0)));
        check(() -> limits.checkImageCount(drawn.size(), number));
        count(ImageSize.declaredBytes(dict, res), dict);
    }

    private void count(long bytes, COSDictionary dict) {
        declaredBytes += bytes;
        check(() -> limits.checkImageBytes(declaredBytes, ImageSize.describe(dict), number));
    }

    private interface Check {
        void run() throws PermanentStageException;
    }

    private static void check(Check c) {
        try {
            c.run();
        } catch (PermanentStageException e) {
            throw new LimitExceeded(e);
        }
    }

    /** Carries a limit failure out of PDFBox's operator loop, which only catches IOException. */
    private static final class LimitExceeded extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final transient PermanentStageException reason;

        LimitExceeded(PermanentStageException reason) {
            super(reason.getMessage(), null, false, false);
            this.reason = reason;
        }
    }

    /** {@code Do}: an image is recorded (declared size checked, nothing decoded); a form is walked once. */
    private final class DrawObject extends OperatorProcessor {
        DrawObject() {
            super(DrawnImages.this);
        }

        @Override
        public void process(Operator operator, List<COSBase> operands) throws IOException {
            if (operands.isEmpty() || !(operands.get(0) instanceof COSName name)) {
                return;
            }
            PDResources res = getResources();
            COSDictionary xobjects = res == null ? null : res.getCOSObject().getCOSDictionary(COSName.XOBJECT);
            COSStream stream = xobjects == null ? null : xobjects.getCOSStream(name);
            if (stream == null || !seen.add(stream)) {
                return;
            }
            if (COSName.IMAGE.equals(stream.getCOSName(COSName.SUBTYPE))) {
                PDXObject x = res.getXObject(name);
                if (x instanceof PDImageXObject image) {
                    image(image, stream, res);
                }
            } else if (COSName.FORM.equals(stream.getCOSName(COSName.SUBTYPE)) && getLevel() < MAX_FORM_DEPTH
                    && res.getXObject(name) instanceof PDFormXObject form) {
                increaseLevel();
                try {
                    showForm(form);
                } finally {
                    decreaseLevel();
                }
            }
        }

        @Override
        public String getName() {
            return OperatorName.DRAW_OBJECT;
        }
    }

    /** {@code BI}: an inline image's declared size counts towards the page's decoded bytes. */
    private final class InlineImage extends OperatorProcessor {
        InlineImage() {
            super(DrawnImages.this);
        }

        @Override
        public void process(Operator operator, List<COSBase> operands) {
            COSDictionary params = operator.getImageParameters();
            if (params != null) {
                count(ImageSize.declaredBytes(params, getResources()), params);
            }
        }

        @Override
        public String getName() {
            return OperatorName.BEGIN_INLINE_IMAGE;
        }
    }
}
