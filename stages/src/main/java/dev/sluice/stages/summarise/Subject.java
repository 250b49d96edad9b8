package dev.sluice.stages.summarise;

import java.util.Set;

/**
 * What gets summarised, whatever record it came from.
 *
 * @param kind    {@code document} or {@code hn_thread}
 * @param id      the document or root story id
 * @param version 1 for a document; 1, 2, ... for a thread as it grows
 * @param input   the text handed to the summariser (for threads: title line, then {@code [id] text} lines)
 * @param prompt  the prompt to use
 * @param commentIds the ids a wants answer may cite: the thread snapshot's comment ids as recorded
 *                   (never parsed from {@code input}); empty for a document
 */
public record Subject(String kind, String id, int version, String input, Prompt prompt, Set<Long> commentIds) {
    public static final String DOCUMENT = "document";
    public static final String HN_THREAD = "hn_thread";
}
