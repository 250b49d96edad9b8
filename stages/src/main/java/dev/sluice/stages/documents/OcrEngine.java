package dev.sluice.stages.documents;

import com.sun.jna.Pointer;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.nio.ByteBuffer;
import java.time.Duration;
import net.sourceforge.tess4j.ITessAPI.ETEXT_DESC;
import net.sourceforge.tess4j.ITessAPI.TessBaseAPI;
import net.sourceforge.tess4j.ITessAPI.TessPageSegMode;
import net.sourceforge.tess4j.TessAPI1;

/**
 * One Tesseract handle, loaded once and reused for every page (creating one per page reloads the
 * model). Not thread-safe: keep one per thread. Recognition runs under Tesseract's own deadline
 * ({@code TessMonitorSetDeadlineMSecs}), so a page that takes too long stops in the native code,
 * fails with {@link OcrTimeoutException}, and the handle stays usable for the next page.
 *
 * <p>Tesseract 5.3's OpenMP parallelism fights with ours: start the JVM with
 * {@code OMP_THREAD_LIMIT=1} (the launcher and the test plugins do).
 */
public final class OcrEngine implements AutoCloseable {
    /** Text and Tesseract's mean word confidence (0-100). */
    public record Result(String text, int meanConfidence) {
    }

    /** Recognition passed its deadline. */
    public static final class OcrTimeoutException extends Exception {
        private static final long serialVersionUID = 1L;

        OcrTimeoutException(String message) {
            super(message);
        }
    }

    private final TessBaseAPI handle;
    private final int dpi;

    public OcrEngine(String tessdata, String language, int dpi) {
        this.dpi = dpi;
        this.handle = TessAPI1.TessBaseAPICreate();
        if (TessAPI1.TessBaseAPIInit3(handle, tessdata, language) != 0) {
            TessAPI1.TessBaseAPIDelete(handle);
            throw new IllegalStateException("Tesseract cannot load language '" + language + "' from " + tessdata);
        }
        TessAPI1.TessBaseAPISetPageSegMode(handle, TessPageSegMode.PSM_AUTO);
        TessAPI1.TessBaseAPISetVariable(handle, "user_defined_dpi", Integer.toString(dpi));
    }

    /** Reads an 8-bit greyscale image rendered at this engine's dpi. */
    public Result recognize(BufferedImage grey, Duration timeout) throws OcrTimeoutException {
        if (grey.getType() != BufferedImage.TYPE_BYTE_GRAY) {
            throw new IllegalArgumentException("expected an 8-bit greyscale image, got type " + grey.getType());
        }
        byte[] pixels = ((DataBufferByte) grey.getRaster().getDataBuffer()).getData();
        ByteBuffer buf = ByteBuffer.allocateDirect(pixels.length).put(pixels);
        buf.flip();
        int stride = grey.getRaster().getSampleModel() instanceof java.awt.image.ComponentSampleModel c
                ? c.getScanlineStride() : grey.getWidth();
        TessAPI1.TessBaseAPISetImage(handle, buf, grey.getWidth(), grey.getHeight(), 1, stride);
        TessAPI1.TessBaseAPISetSourceResolution(handle, dpi);
        ETEXT_DESC monitor = TessAPI1.TessMonitorCreate();
        try {
            TessAPI1.TessMonitorSetDeadlineMSecs(monitor, (int) Math.min(Integer.MAX_VALUE, timeout.toMillis()));
            if (TessAPI1.TessBaseAPIRecognize(handle, monitor) != 0) {
                throw new OcrTimeoutException("OCR stopped after the page time limit of " + timeout.toMillis()
                        + " ms (" + DocumentsConfig.OCR_PAGE_TIMEOUT_MS_CONFIG + ")");
            }
            Pointer p = TessAPI1.TessBaseAPIGetUTF8Text(handle);
            String text = p == null ? "" : p.getString(0, "UTF-8");
            if (p != null) {
                TessAPI1.TessDeleteText(p);
            }
            return new Result(text, TessAPI1.TessBaseAPIMeanTextConf(handle));
        } finally {
            TessAPI1.TessMonitorDelete(monitor);
            TessAPI1.TessBaseAPIClear(handle);
        }
    }

    @Override
    public void close() {
        TessAPI1.TessBaseAPIEnd(handle);
        TessAPI1.TessBaseAPIDelete(handle);
    }
}
