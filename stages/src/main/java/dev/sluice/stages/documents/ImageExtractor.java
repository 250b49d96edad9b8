package dev.sluice.stages.documents;

import dev.sluice.blob.BlobStore;
import dev.sluice.schemas.documents.PageImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import javax.imageio.ImageIO;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDResources;
import org.apache.pdfbox.pdmodel.graphics.PDXObject;
import org.apache.pdfbox.pdmodel.graphics.form.PDFormXObject;
import org.apache.pdfbox.pdmodel.graphics.image.PDImageXObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Extracts the images a page draws (its XObjects, forms searched to a small depth) to the blob
 * store. JPEG and JPEG 2000 streams are stored as they are (no decoding); others are decoded and
 * re-encoded as PNG, unless larger than the pixel limit. The store is content-addressed, so an
 * image used on many pages or documents is stored once; within a page each image is listed once.
 */
final class ImageExtractor {
    private static final Logger log = LoggerFactory.getLogger(ImageExtractor.class);
    private static final int MAX_FORM_DEPTH = 3;

    private final BlobStore blobs;
    private final long maxPixels;

    ImageExtractor(BlobStore blobs, long maxPixels) {
        this.blobs = blobs;
        this.maxPixels = maxPixels;
    }

    List<PageImage> extract(PDPage page) throws IOException {
        List<PageImage> out = new ArrayList<>();
        Set<Object> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        collect(page.getResources(), 0, seen, out);
        return out;
    }

    private void collect(PDResources res, int depth, Set<Object> seen, List<PageImage> out) throws IOException {
        if (res == null || depth > MAX_FORM_DEPTH) {
            return;
        }
        for (COSName name : res.getXObjectNames()) {
            PDXObject x = res.getXObject(name);
            if (x == null || !seen.add(x.getCOSObject())) {
                continue;
            }
            if (x instanceof PDImageXObject img) {
                PageImage stored = store(img);
                if (stored != null && out.stream().noneMatch(i -> i.getBlob().equals(stored.getBlob()))) {
                    out.add(stored);
                }
            } else if (x instanceof PDFormXObject form) {
                collect(form.getResources(), depth + 1, seen, out);
            }
        }
    }

    private PageImage store(PDImageXObject img) throws IOException {
        String suffix = img.getSuffix();
        byte[] bytes;
        String format;
        if ("jpg".equals(suffix) || "jpx".equals(suffix)) {
            try (InputStream in = img.createInputStream(List.of(COSName.DCT_DECODE.getName(), COSName.JPX_DECODE.getName()))) {
                bytes = in.readAllBytes();
            }
            format = "jpg".equals(suffix) ? "jpg" : "jp2";
        } else if ((long) img.getWidth() * img.getHeight() <= maxPixels) {
            ByteArrayOutputStream png = new ByteArrayOutputStream();
            ImageIO.write(img.getImage(), "png", png);
            bytes = png.toByteArray();
            format = "png";
        } else {
            log.info("not extracting a {}x{} image: above the pixel limit", img.getWidth(), img.getHeight());
            return null;
        }
        return PageImage.newBuilder().setBlob(blobs.put(bytes)).setFormat(format).setWidth(img.getWidth())
                .setHeight(img.getHeight()).setSizeBytes(bytes.length).build();
    }
}
