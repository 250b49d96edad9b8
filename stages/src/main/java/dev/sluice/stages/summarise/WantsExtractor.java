package dev.sluice.stages.summarise;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Offline "what people want": every sentence of a comment ({@code [id] text} lines) that voices a
 * complaint, a wish or a need (by phrase patterns) is a candidate; candidates sharing their most
 * telling word are merged into one want supported by all their comment ids. Only lines whose id is
 * a real comment id of the thread count. Deterministic.
 */
public final class WantsExtractor {
    /** A comment line {@code [id] text}; only {@code \n} ends a line (not U+2028, U+0085, {@code \r}...). */
    static final Pattern LINE = Pattern.compile("^\\[(\\d+)][ \\t]*(.+)$", Pattern.MULTILINE | Pattern.UNIX_LINES);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_WANTS = 10;
    private static final Pattern COMPLAINT = Pattern.compile("\\b(annoying|annoyed|hate|broken|frustrat\\w*|too (slow|expensive|complicated)|"
            + "problem with|doesn't work|does not work|terrible|awful|pain to|sucks|bloated|overpriced)\\b");
    private static final Pattern WISH = Pattern.compile("\\b(i wish|wish (it|they|there)|would love|i'd love|would be (nice|great|cool)|"
            + "i'd like|hope (they|it|someone))\\b");
    private static final Pattern NEED = Pattern.compile("\\b(need|needs|we want|i want|should (have|be|add|support)|missing|"
            + "looking for|please add|lacks|has to|must have|can't find)\\b");

    private WantsExtractor() {
    }

    /** One candidate want. */
    private record Candidate(String kind, String text, long id, String key) {
    }

    /** The wants of the thread as {@code {"wants": [...]}}, most supported first, citing only {@code commentIds}. */
    public static String extract(String input, Set<Long> commentIds) {
        List<Candidate> candidates = new ArrayList<>();
        Matcher m = LINE.matcher(input);
        while (m.find()) {
            long id = Long.parseLong(m.group(1));
            if (!commentIds.contains(id)) {
                continue;
            }
            for (String s : Text.sentences(m.group(2))) {
                String kind = kind(s.toLowerCase(Locale.ROOT));
                if (kind != null && s.length() <= 400) {
                    candidates.add(new Candidate(kind, s, id, key(s)));
                }
            }
        }
        return render(merge(candidates));
    }

    static String kind(String lower) {
        if (COMPLAINT.matcher(lower).find()) {
            return "complaint";
        }
        if (WISH.matcher(lower).find()) {
            return "wish";
        }
        return NEED.matcher(lower).find() ? "need" : null;
    }

    /** The longest content word, standing for the sentence's topic. */
    private static String key(String sentence) {
        return Text.words(sentence).stream().filter(w -> w.length() > 3)
                .max((a, b) -> a.length() != b.length() ? Integer.compare(a.length(), b.length()) : b.compareTo(a))
                .orElse(sentence.toLowerCase(Locale.ROOT));
    }

    private static List<List<Candidate>> merge(List<Candidate> candidates) {
        Map<String, List<Candidate>> groups = new LinkedHashMap<>();
        for (Candidate c : candidates) {
            groups.computeIfAbsent(c.kind() + "|" + c.key(), k -> new ArrayList<>()).add(c);
        }
        List<List<Candidate>> out = new ArrayList<>(groups.values());
        out.sort((a, b) -> Long.compare(ids(b).size(), ids(a).size()));
        return out.subList(0, Math.min(MAX_WANTS, out.size()));
    }

    private static List<Long> ids(List<Candidate> group) {
        return group.stream().map(Candidate::id).distinct().toList();
    }

    private static String render(List<List<Candidate>> groups) {
        ObjectNode root = JSON.createObjectNode();
        ArrayNode wants = root.putArray("wants");
        for (List<Candidate> g : groups) {
            ObjectNode w = wants.addObject();
            w.put("kind", g.get(0).kind());
            w.put("text", g.get(0).text());
            ArrayNode ids = w.putArray("comment_ids");
            ids(g).forEach(ids::add);
        }
        return root.toString();
    }
}
