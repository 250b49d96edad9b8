package dev.sluice.stages.documents;

import dev.sluice.stage.PermanentStageException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.io.IOUtils;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.encryption.InvalidPasswordException;

/**
 * Opens PDF bytes with PDFBox, turning the ways a file can be bad into reasons a person
 * understands: {@code empty: 0 bytes}, {@code not a PDF: ...}, {@code encrypted: needs a password},
 * {@code truncated or corrupt: ...}. Parsed objects are cached in temporary files, not the heap.
 */
public final class PdfLoader {

    private PdfLoader() {
    }

    /** The open document; the caller closes it. */
    public static PDDocument open(byte[] bytes) throws PermanentStageException {
        if (bytes.length == 0) {
            throw new PermanentStageException("empty: 0 bytes");
        }
        if (!startsWithPdfHeader(bytes)) {
            throw new PermanentStageException("not a PDF: the file starts with " + describeStart(bytes) + ", not %PDF-");
        }
        try {
            return Loader.loadPDF(bytes, "", null, null, IOUtils.createTempFileOnlyStreamCache());
        } catch (InvalidPasswordException e) {
            throw new PermanentStageException("encrypted: needs a password", e);
        } catch (IOException | RuntimeException e) {
            throw new PermanentStageException("truncated or corrupt: " + e.getMessage(), e);
        }
    }

    /** Whether a {@code %PDF-} header appears in the first 1024 bytes (where readers look for it). */
    static boolean startsWithPdfHeader(byte[] bytes) {
        String head = new String(bytes, 0, Math.min(1024, bytes.length), StandardCharsets.ISO_8859_1);
        return head.contains("%PDF-");
    }

    private static String describeStart(byte[] b) {
        if (b.length >= 8 && (b[0] & 0xff) == 0x89 && b[1] == 'P' && b[2] == 'N' && b[3] == 'G') {
            return "the PNG signature (it is an image)";
        }
        if (b.length >= 3 && (b[0] & 0xff) == 0xFF && (b[1] & 0xff) == 0xD8) {
            return "the JPEG signature (it is an image)";
        }
        StringBuilder sb = new StringBuilder("\"");
        for (int i = 0; i < Math.min(8, b.length); i++) {
            char c = (char) (b[i] & 0xff);
            sb.append(c >= 0x20 && c < 0x7f ? String.valueOf(c) : String.format("\\x%02x", (int) c));
        }
        return sb.append('"').toString();
    }
}
