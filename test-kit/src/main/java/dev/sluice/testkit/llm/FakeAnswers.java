package dev.sluice.testkit.llm;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The fake model's deterministic answers, computed from the prompt: for a prompt asking for
 * {@code wants-json}, every comment line {@code [id] text} that expresses a need, complaint or
 * wish becomes one entry with its id; otherwise the first two sentences of the user message. The
 * lines fencing the data ({@code <untrusted-data id="...">}, {@code </untrusted-data id="...">}) are
 * not part of it.
 */
final class FakeAnswers {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern COMMENT_LINE = Pattern.compile("(?m)^\\[(\\d+)]\\s*(.+)$");
    private static final Pattern FENCE = Pattern.compile("(?m)^</?untrusted-data\\b[^\\n]*(\\n|$)");
    private static final Pattern SENTENCE = Pattern.compile("[^.!?]+[.!?]?");
    private static final Pattern WISH = Pattern.compile("(?i)\\b(wish|would love|i'd like|would be nice|hope)\\b");
    private static final Pattern COMPLAINT = Pattern.compile("(?i)\\b(annoying|hate|broken|frustrat\\w*|slow|problem|bug|too expensive)\\b");
    private static final Pattern NEED = Pattern.compile("(?i)\\b(need|want|should|missing|looking for|please add)\\b");

    private FakeAnswers() {
    }

    static String answer(String system, String user) {
        String data = FENCE.matcher(user).replaceAll("");
        return system.contains("wants-json") ? wants(data) : firstSentences(data, 2);
    }

    static String firstSentences(String text, int n) {
        StringBuilder sb = new StringBuilder();
        Matcher m = SENTENCE.matcher(text.replaceAll("\\s+", " ").trim());
        for (int i = 0; i < n && m.find(); ) {
            String s = m.group().trim();
            if (!s.isEmpty()) {
                sb.append(sb.length() == 0 ? "" : " ").append(s);
                i++;
            }
        }
        return sb.toString();
    }

    private static String wants(String user) {
        ObjectNode root = JSON.createObjectNode();
        ArrayNode wants = root.putArray("wants");
        Matcher m = COMMENT_LINE.matcher(user);
        while (m.find() && wants.size() < 12) {
            String kind = kind(m.group(2));
            if (kind != null) {
                ObjectNode w = wants.addObject();
                w.put("kind", kind);
                w.put("text", firstSentences(m.group(2), 1));
                w.putArray("comment_ids").add(Long.parseLong(m.group(1)));
            }
        }
        return root.toString();
    }

    private static String kind(String text) {
        String t = text.toLowerCase(Locale.ROOT);
        if (COMPLAINT.matcher(t).find()) {
            return "complaint";
        }
        if (WISH.matcher(t).find()) {
            return "wish";
        }
        return NEED.matcher(t).find() ? "need" : null;
    }
}
