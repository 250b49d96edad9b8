package dev.sluice.tools.bench;

import java.text.Normalizer;

/**
 * Character error rate: edit distance between a text and its ground truth, divided by the ground
 * truth's length, both Unicode NFKC-normalised with every run of whitespace made one space.
 */
public final class CharacterErrorRate {

    private CharacterErrorRate() {
    }

    public static String normalize(String s) {
        return Normalizer.normalize(s, Normalizer.Form.NFKC).replaceAll("\\s+", " ").trim();
    }

    /** Levenshtein distance of the normalised texts (two rows, O(n·m) time). */
    public static int edits(String text, String truth) {
        String a = normalize(text);
        String b = normalize(truth);
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            char ca = a.charAt(i - 1);
            for (int j = 1; j <= b.length(); j++) {
                int sub = prev[j - 1] + (ca == b.charAt(j - 1) ? 0 : 1);
                cur[j] = Math.min(sub, Math.min(prev[j] + 1, cur[j - 1] + 1));
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }

    /** Normalised length of the ground truth (the denominator). */
    public static int length(String truth) {
        return normalize(truth).length();
    }
}
