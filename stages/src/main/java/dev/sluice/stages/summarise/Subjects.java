package dev.sluice.stages.summarise;

import dev.sluice.schemas.summaries.DocumentText;
import dev.sluice.schemas.threads.SnapshotComment;
import dev.sluice.schemas.threads.ThreadSnapshot;

/** Maps the records the summarise stages read to {@link Subject}s. */
public final class Subjects {
    /** Longest comment text handed to a summariser (one comment always fits one chunk). */
    static final int MAX_COMMENT_CHARS = 2_000;

    private Subjects() {
    }

    /** A thread snapshot: its title line, then one comment a line as {@code [id] text}, for the wants prompt. */
    public static Subject thread(ThreadSnapshot s) {
        StringBuilder sb = new StringBuilder("Title: ").append(s.getTitle() == null ? "(unknown)" : s.getTitle()).append('\n');
        for (SnapshotComment c : s.getComments()) {
            String text = c.getText().replaceAll("\\s+", " ").trim();
            sb.append('[').append(c.getId()).append("] ")
                    .append(text.length() <= MAX_COMMENT_CHARS ? text : text.substring(0, MAX_COMMENT_CHARS)).append('\n');
        }
        return new Subject(Subject.HN_THREAD, Long.toString(s.getRootId()), s.getVersion(), sb.toString(), Prompt.THREAD_WANTS);
    }

    /** A document: its title and text, version 1; no input at all when the text is blank (it is dead-lettered). */
    public static Subject document(DocumentText d) {
        String input = d.getText().isBlank() || d.getTitle() == null ? d.getText().trim() : d.getTitle() + "\n\n" + d.getText();
        return new Subject(Subject.DOCUMENT, d.getDocId(), 1, input, Prompt.DOCUMENT);
    }
}
