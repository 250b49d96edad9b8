package dev.sluice.stages.summarise;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a text into chunks of at most {@code maxTokens} (estimated) at line boundaries, then at
 * sentence boundaries, and only as a last resort inside a sentence; nothing is lost or repeated.
 */
public final class Chunker {

    private Chunker() {
    }

    public static List<String> split(String text, int maxTokens) {
        if (maxTokens < 1) {
            throw new IllegalArgumentException("chunk size must be >= 1 token, was " + maxTokens);
        }
        List<String> chunks = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String piece : pieces(text, maxTokens)) {
            if (current.length() > 0 && Text.tokens(current + "\n" + piece) > maxTokens) {
                chunks.add(current.toString());
                current.setLength(0);
            }
            current.append(current.length() == 0 ? "" : "\n").append(piece);
        }
        if (current.length() > 0) {
            chunks.add(current.toString());
        }
        return chunks;
    }

    /** Lines, with lines too long for one chunk broken into sentences and over-long sentences into slices. */
    private static List<String> pieces(String text, int maxTokens) {
        List<String> out = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            if (Text.tokens(line) <= maxTokens) {
                out.add(line);
                continue;
            }
            for (String s : Text.sentences(line)) {
                int maxChars = maxTokens * 4;
                for (int i = 0; i < s.length(); i += maxChars) {
                    out.add(s.substring(i, Math.min(s.length(), i + maxChars)));
                }
            }
        }
        return out;
    }
}
