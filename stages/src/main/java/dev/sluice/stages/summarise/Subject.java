package dev.sluice.stages.summarise;

/**
 * What gets summarised, whatever record it came from.
 *
 * @param kind    {@code document} or {@code hn_thread}
 * @param id      the document or root story id
 * @param version 1 for a document; 1, 2, ... for a thread as it grows
 * @param input   the text handed to the summariser (for threads: title line, then {@code [id] text} lines)
 * @param prompt  the prompt to use
 */
public record Subject(String kind, String id, int version, String input, Prompt prompt) {
    public static final String DOCUMENT = "document";
    public static final String HN_THREAD = "hn_thread";
}
