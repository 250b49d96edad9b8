package dev.sluice.stages.summarise;

import dev.sluice.schemas.summaries.DocumentText;
import dev.sluice.schemas.threads.SnapshotComment;
import dev.sluice.schemas.threads.ThreadSnapshot;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Pattern;

/** Maps the records the summarise stages read to {@link Subject}s. */
public final class Subjects {
    /** Longest comment text handed to a summariser (one comment always fits one chunk). */
    static final int MAX_COMMENT_CHARS = 2_000;
    /** Runs of white space, line and paragraph separators (U+2028, U+2029, U+0085, CR, VT, FF...) and other control characters. */
    private static final Pattern BREAKS = Pattern.compile("[\\s\\p{Cc}\\p{Zl}\\p{Zp}]+", Pattern.UNICODE_CHARACTER_CLASS);

    private Subjects() {
    }

    /**
     * A thread snapshot: its title line, then one comment a line as {@code [id] text}, for the wants
     * prompt. Title and comment text are flattened to one line each (every kind of line break is a
     * space), so no text can start a line of its own; the citable ids are the snapshot's comment ids.
     */
    public static Subject thread(ThreadSnapshot s) {
        StringBuilder sb = new StringBuilder("Title: ").append(s.getTitle() == null ? "(unknown)" : oneLine(s.getTitle())).append('\n');
        Set<Long> ids = new LinkedHashSet<>();
        for (SnapshotComment c : s.getComments()) {
            String text = oneLine(c.getText());
            sb.append('[').append(c.getId()).append("] ")
                    .append(text.length() <= MAX_COMMENT_CHARS ? text : text.substring(0, MAX_COMMENT_CHARS)).append('\n');
            ids.add(c.getId());
        }
        return new Subject(Subject.HN_THREAD, Long.toString(s.getRootId()), s.getVersion(), sb.toString(), Prompt.THREAD_WANTS,
                Set.copyOf(ids));
    }

    /** {@code text} on one line: runs of white space, line breaks of any kind and control characters become one space. */
    static String oneLine(String text) {
        return BREAKS.matcher(text).replaceAll(" ").trim();
    }

    /** A document: its title and text, version 1; no input at all when the text is blank (it is dead-lettered). */
    public static Subject document(DocumentText d) {
        String input = d.getText().isBlank() || d.getTitle() == null ? d.getText().trim() : d.getTitle() + "\n\n" + d.getText();
        return new Subject(Subject.DOCUMENT, d.getDocId(), 1, input, Prompt.DOCUMENT, Set.of());
    }
}
