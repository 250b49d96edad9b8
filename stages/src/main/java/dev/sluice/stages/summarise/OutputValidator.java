package dev.sluice.stages.summarise;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Matcher;

/**
 * Rejects model answers that must not be stored as if they were good: empty, over-long
 * ({@code summarise.max.chars}), or off-format (JSON or a code fence where prose is due; for
 * {@link Prompt.Format#WANTS_JSON} anything but the wants object, or one citing a comment id that is
 * not a comment of the thread shown to the model). Truncation ({@code finish_reason=length}) is
 * caught by the client.
 */
public final class OutputValidator {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> KINDS = Set.of("need", "complaint", "wish");

    private final int maxChars;

    public OutputValidator(int maxChars) {
        this.maxChars = maxChars;
    }

    /** An answer that failed validation, with why. */
    public static final class Rejected extends Exception {
        private static final long serialVersionUID = 1L;

        public Rejected(String reason) {
            super(reason);
        }
    }

    /**
     * The answer to store (normalised), or {@link Rejected} saying why not.
     *
     * @param input      the text the model was shown (a thread's whole input or one chunk of it)
     * @param commentIds the thread's real comment ids ({@link Subject#commentIds()}); empty for a document
     */
    public String validate(Prompt prompt, String input, Set<Long> commentIds, String answer) throws Rejected {
        String a = answer == null ? "" : answer.trim();
        if (a.isEmpty()) {
            throw new Rejected("empty answer");
        }
        if (a.length() > maxChars) {
            throw new Rejected("over-long answer: " + a.length() + " chars > summarise.max.chars " + maxChars);
        }
        return prompt.format() == Prompt.Format.WANTS_JSON ? wants(citable(input, commentIds), a) : prose(a);
    }

    private static String prose(String a) throws Rejected {
        if (a.startsWith("{") || a.startsWith("[") || a.startsWith("```")) {
            throw new Rejected("off-format answer: JSON or code where prose was asked for");
        }
        return a;
    }

    private static String wants(Set<Long> known, String a) throws Rejected {
        JsonNode root;
        try {
            root = JSON.readTree(stripFence(a));
        } catch (java.io.IOException e) {
            throw new Rejected("off-format answer: not JSON (" + e.getClass().getSimpleName() + ")");
        }
        if (root == null || !root.path("wants").isArray()) {
            throw new Rejected("off-format answer: no \"wants\" array");
        }
        for (JsonNode w : root.get("wants")) {
            if (!KINDS.contains(w.path("kind").asText()) || w.path("text").asText("").isBlank()
                    || !w.path("comment_ids").isArray() || w.path("comment_ids").isEmpty()) {
                throw new Rejected("off-format answer: a want needs kind need|complaint|wish, text and comment_ids");
            }
            for (JsonNode id : w.get("comment_ids")) {
                if (!id.canConvertToLong() || !known.contains(id.asLong())) {
                    throw new Rejected("off-format answer: comment id " + id + " is not in the thread");
                }
            }
        }
        return root.toString();
    }

    private static String stripFence(String a) {
        return a.startsWith("```") ? a.replaceAll("(?s)^```(?:json)?\\s*|\\s*```$", "") : a;
    }

    /**
     * The ids an answer about {@code input} may cite: real comment ids whose {@code [id]} line is in
     * the text shown (a chunk shows some of the thread). The text only narrows the real ids, so a
     * comment forging a line cannot add one.
     */
    static Set<Long> citable(String input, Set<Long> commentIds) {
        Set<Long> ids = new HashSet<>();
        Matcher m = WantsExtractor.LINE.matcher(input);
        while (m.find()) {
            long id = Long.parseLong(m.group(1));
            if (commentIds.contains(id)) {
                ids.add(id);
            }
        }
        return ids;
    }
}
