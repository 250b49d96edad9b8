package dev.sluice.stages.documents;

import dev.sluice.blob.BlobStore;
import dev.sluice.schemas.documents.PageImage;
import dev.sluice.stage.PermanentStageException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.graphics.image.PDImageXObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Extracts the images a page draws ({@link DrawnImages}: found in its content stream, count and
 * declared decoded bytes checked before any is decoded) to the blob store. JPEG and JPEG 2000
 * streams are stored as they are (no decoding, read up to the page's byte limit); others are
 * decoded and re-encoded as PNG, unless larger than the pixel limit. The store is
 * content-addressed, so an image used on many pages or documents is stored once; within a page
 * each image is listed once.
 */
final class ImageExtractor {
    private static final Logger log = LoggerFactory.getLogger(ImageExtractor.class);

    private final BlobStore blobs;
    private final PageLimits limits;

    ImageExtractor(BlobStore blobs, PageLimits limits) {
        this.blobs = blobs;
        this.limits = limits;
    }

    /** The images page {@code number} draws, stored; fails when the page passes an image limit. */
    List<PageImage> extract(PDPage page, int number) throws IOException, PermanentStageException {
        List<PageImage> out = new ArrayList<>();
        for (DrawnImages.Drawn d : DrawnImages.of(page, number, limits)) {
            PageImage stored = store(d, number);
            if (stored != null && out.stream().noneMatch(i -> i.getBlob().equals(stored.getBlob()))) {
                out.add(stored);
            }
        }
        return out;
    }

    private PageImage store(DrawnImages.Drawn d, int number) throws IOException, PermanentStageException {
        PDImageXObject img = d.image();
        String suffix = img.getSuffix();
        byte[] bytes;
        String format;
        if ("jpg".equals(suffix) || "jpx".equals(suffix)) {
            bytes = encoded(img, number);
            format = "jpg".equals(suffix) ? "jpg" : "jp2";
        } else if ((long) d.width() * d.height() <= limits.maxPagePixels()) {
            ByteArrayOutputStream png = new ByteArrayOutputStream();
            ImageIO.write(img.getImage(), "png", png);
            bytes = png.toByteArray();
            format = "png";
        } else {
            log.debug("page {}: not extracting a {}x{} image: above the pixel limit ({})", number, d.width(), d.height(),
                    DocumentsConfig.MAX_PAGE_PIXELS_CONFIG);
            return null;
        }
        return PageImage.newBuilder().setBlob(blobs.put(bytes)).setFormat(format).setWidth(d.width())
                .setHeight(d.height()).setSizeBytes(bytes.length).build();
    }

    /** The JPEG or JPEG 2000 stream itself (filters before it undone), read up to the page's byte limit. */
    private byte[] encoded(PDImageXObject img, int number) throws IOException, PermanentStageException {
        int cap = (int) Math.min(Integer.MAX_VALUE - 16, limits.maxPageImageBytes());
        byte[] bytes;
        try (InputStream in = img.createInputStream(List.of(COSName.DCT_DECODE.getName(), COSName.JPX_DECODE.getName()))) {
            bytes = in.readNBytes(cap + 1);
        }
        if (bytes.length > cap) {
            limits.checkImageBytes(bytes.length, String.format(Locale.ROOT, "a %s stream of %d×%d px",
                    img.getSuffix(), img.getCOSObject().getInt(COSName.WIDTH), img.getCOSObject().getInt(COSName.HEIGHT)), number);
        }
        return bytes;
    }
}
