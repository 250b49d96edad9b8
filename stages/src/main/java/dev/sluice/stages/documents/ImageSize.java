package dev.sluice.stages.documents;

import java.io.IOException;
import java.util.Locale;
import org.apache.pdfbox.cos.COSBase;
import org.apache.pdfbox.cos.COSDictionary;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.cos.COSStream;
import org.apache.pdfbox.pdmodel.PDResources;
import org.apache.pdfbox.pdmodel.graphics.color.PDColorSpace;

/**
 * The decoded size an image dictionary (an image XObject's, or an inline image's abbreviated one)
 * declares: width × height × components × bits per component, rows rounded up to whole bytes,
 * plus its soft mask or stencil mask. Read from the dictionary alone, so nothing is decoded: PDFBox's
 * own {@code PDImageXObject.getWidth()} decodes a JPEG 2000 image to learn its size, and
 * {@code PDInlineImage}'s constructor decodes its data.
 */
final class ImageSize {

    private ImageSize() {
    }

    /** Decoded bytes an image (or inline image) dictionary declares, with its soft mask or stencil mask. */
    static long declaredBytes(COSDictionary dict, PDResources res) {
        long bytes = own(dict, res);
        for (COSName key : new COSName[] {COSName.SMASK, COSName.MASK}) {
            if (dict.getDictionaryObject(key) instanceof COSStream mask && mask != dict) {
                bytes += own(mask, res);
            }
        }
        return bytes;
    }

    private static long own(COSDictionary dict, PDResources res) {
        long w = Math.max(0, dict.getInt(COSName.WIDTH, COSName.W, 0));
        long h = Math.max(0, dict.getInt(COSName.HEIGHT, COSName.H, 0));
        boolean stencil = dict.getBoolean(COSName.IMAGE_MASK, COSName.IM, false);
        int bpc = stencil ? 1 : Math.max(1, dict.getInt(COSName.BITS_PER_COMPONENT, COSName.BPC, 8));
        int components = stencil ? 1 : components(dict.getDictionaryObject(COSName.COLORSPACE, COSName.CS), res);
        return (w * components * bpc + 7) / 8 * h;
    }

    /** Components of a colour space; 4 (the most) when absent (JPEG 2000 carries its own) or unreadable. */
    static int components(COSBase cs, PDResources res) {
        if (cs == null) {
            return 4;
        }
        if (cs instanceof COSName n) {
            switch (n.getName()) {
                case "G", "DeviceGray", "I", "Indexed":
                    return 1;
                case "RGB", "DeviceRGB":
                    return 3;
                case "CMYK", "DeviceCMYK":
                    return 4;
                default:
                    break;
            }
        }
        try {
            return PDColorSpace.create(cs, res).getNumberOfComponents();
        } catch (IOException | RuntimeException e) {
            return 4;
        }
    }

    /** e.g. {@code 100000×100000 px at 8 bits per component}. */
    static String describe(COSDictionary dict) {
        boolean mask = dict.getBoolean(COSName.IMAGE_MASK, COSName.IM, false);
        return String.format(Locale.ROOT, "%d×%d px at %d bits per component", dict.getInt(COSName.WIDTH, COSName.W, 0),
                dict.getInt(COSName.HEIGHT, COSName.H, 0), mask ? 1 : dict.getInt(COSName.BITS_PER_COMPONENT, COSName.BPC, 8));
    }
}
