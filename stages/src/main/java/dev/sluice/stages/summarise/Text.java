package dev.sluice.stages.summarise;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Text helpers of the summarisers: token estimates, sentence splitting, term vectors, HTML to text. */
public final class Text {
    private static final Pattern SENTENCE = Pattern.compile("[^.!?\\n]+(?:[.!?]+|$)", Pattern.MULTILINE);
    private static final Pattern WORD = Pattern.compile("[\\p{L}\\p{N}][\\p{L}\\p{N}'-]*");
    private static final Set<String> STOP = Set.of("the", "a", "an", "and", "or", "but", "of", "to", "in", "on", "for",
            "is", "are", "was", "were", "be", "been", "it", "its", "this", "that", "these", "those", "with", "as", "at",
            "by", "from", "i", "you", "we", "they", "he", "she", "my", "your", "our", "their", "not", "no", "so", "if",
            "then", "than", "there", "what", "which", "who", "do", "does", "did", "have", "has", "had", "can", "just",
            "would", "could", "will", "about", "more", "also", "all", "some", "one", "me", "them", "into", "out", "up");

    private Text() {
    }

    /** A token estimate good enough for budgets (about four characters a token, as for English BPE). */
    public static int tokens(String s) {
        return s == null ? 0 : (s.length() + 3) / 4;
    }

    /** The sentences of {@code text}, trimmed, blank ones dropped; a line break also ends a sentence. */
    public static List<String> sentences(String text) {
        List<String> out = new ArrayList<>();
        Matcher m = SENTENCE.matcher(text);
        while (m.find()) {
            String s = m.group().trim();
            if (s.length() > 1) {
                out.add(s);
            }
        }
        return out;
    }

    /** Lower-cased content words (stop words and one-letter words dropped). */
    public static List<String> words(String text) {
        List<String> out = new ArrayList<>();
        Matcher m = WORD.matcher(text.toLowerCase(Locale.ROOT));
        while (m.find()) {
            String w = m.group();
            if (w.length() > 1 && !STOP.contains(w)) {
                out.add(w);
            }
        }
        return out;
    }

    /** Term frequencies of {@code text}. */
    public static Map<String, Double> termFrequencies(String text) {
        Map<String, Double> tf = new HashMap<>();
        for (String w : words(text)) {
            tf.merge(w, 1.0, Double::sum);
        }
        return tf;
    }

    /** Cosine similarity of two sparse vectors. */
    public static double cosine(Map<String, Double> a, Map<String, Double> b) {
        double dot = 0;
        for (Map.Entry<String, Double> e : a.entrySet()) {
            dot += e.getValue() * b.getOrDefault(e.getKey(), 0.0);
        }
        double na = norm(a);
        double nb = norm(b);
        return na == 0 || nb == 0 ? 0 : dot / (na * nb);
    }

    private static double norm(Map<String, Double> v) {
        double s = 0;
        for (double x : v.values()) {
            s += x * x;
        }
        return Math.sqrt(s);
    }

    /** Hacker News comment HTML as plain text: paragraphs to line breaks, tags dropped, entities decoded. */
    public static String fromHtml(String html) {
        if (html == null) {
            return "";
        }
        String t = html.replaceAll("(?i)<p>", "\n").replaceAll("<[^>]+>", "");
        t = t.replace("&#x27;", "'").replace("&#x2F;", "/").replace("&quot;", "\"").replace("&gt;", ">")
                .replace("&lt;", "<").replace("&#39;", "'").replace("&amp;", "&");
        return t.replaceAll("[ \\t]+", " ").trim();
    }
}
