package dev.sluice.sinks.postgres;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.schemas.documents.AssembledDocument;
import dev.sluice.schemas.documents.DocumentPage;
import dev.sluice.schemas.documents.PageImage;
import dev.sluice.schemas.documents.PageMethod;
import java.util.stream.Collectors;

/** The JSON form of a stored document: the row's {@code doc} column and one line of {@code export documents}. */
final class DocumentJson {
    private static final ObjectMapper JSON = new ObjectMapper();

    private DocumentJson() {
    }

    static ObjectNode of(AssembledDocument d) {
        ObjectNode o = JSON.createObjectNode();
        o.put("doc_id", d.getDoc().getDocId()).put("sha256", d.getDoc().getDocId()).put("blob", d.getDoc().getBlob())
                .put("source", d.getDoc().getSource()).put("filename", d.getDoc().getFilename())
                .put("size_bytes", d.getDoc().getSizeBytes()).put("page_count", d.getPageCount())
                .put("title", d.getTitle()).put("status", d.getStatus());
        ObjectNode meta = o.putObject("metadata");
        d.getMetadata().forEach(meta::put);
        ArrayNode missing = o.putArray("missing_pages");
        d.getMissingPages().forEach(missing::add);
        o.put("text", d.getPages().stream().map(DocumentPage::getText).collect(Collectors.joining("\f")));
        ArrayNode pages = o.putArray("pages");
        d.getPages().forEach(p -> pages.add(page(p)));
        o.set("timings", timings(d));
        return o;
    }

    private static ObjectNode page(DocumentPage p) {
        ObjectNode o = JSON.createObjectNode();
        o.put("page", p.getPageNumber()).put("method", p.getMethod().name()).put("text", p.getText());
        if (p.getConfidence() != null) {
            o.put("confidence", p.getConfidence());
        }
        if (p.getMethod() == PageMethod.FAILED) {
            o.put("failure", p.getFailure());
        }
        ArrayNode images = o.putArray("images");
        p.getImages().forEach(i -> images.add(image(i)));
        o.putObject("timings_ms").put("text_layer", p.getTextLayerMs()).put("render", p.getRenderMs())
                .put("ocr", p.getOcrMs()).put("images", p.getImagesMs());
        return o;
    }

    static ObjectNode image(PageImage i) {
        return JSON.createObjectNode().put("blob", i.getBlob()).put("format", i.getFormat()).put("width", i.getWidth())
                .put("height", i.getHeight()).put("size_bytes", i.getSizeBytes());
    }

    private static ObjectNode timings(AssembledDocument d) {
        long ocr = d.getPages().stream().mapToLong(DocumentPage::getOcrMs).sum();
        long render = d.getPages().stream().mapToLong(DocumentPage::getRenderMs).sum();
        long text = d.getPages().stream().mapToLong(DocumentPage::getTextLayerMs).sum();
        return JSON.createObjectNode().put("submitted_at", d.getDoc().getSubmittedAt()).put("split_ms", d.getSplitMs())
                .put("first_page_at", d.getFirstPageAt()).put("assembled_at", d.getAssembledAt())
                .put("end_to_end_ms", d.getAssembledAt() - d.getDoc().getSubmittedAt())
                .put("text_layer_ms", text).put("render_ms", render).put("ocr_ms", ocr);
    }
}
