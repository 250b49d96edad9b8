package dev.sluice.stages.summarise;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The offline default: extractive, deterministic, no model and no network. Documents get their
 * most central sentences (TF-IDF cosine to the document's centroid, in document order, within
 * {@code maxChars}); threads get {@link WantsExtractor}'s needs, complaints and wishes. Never fails
 * for non-empty input, so it ends the fallback chain.
 */
public final class OfflineSummarizer implements Summarizer {
    public static final String MODEL = "offline-extractive";
    private static final int MAX_SENTENCES = 5;

    private final int maxChars;

    public OfflineSummarizer(int maxChars) {
        this.maxChars = maxChars;
    }

    @Override
    public String name() {
        return MODEL;
    }

    @Override
    public Draft summarise(Prompt prompt, String input) {
        return summarise(prompt, input, Set.of());
    }

    @Override
    public Draft summarise(Prompt prompt, String input, Set<Long> commentIds) {
        String text = prompt.format() == Prompt.Format.WANTS_JSON ? WantsExtractor.extract(input, commentIds) : extract(input);
        return new Draft(text, MODEL, 0, 0);
    }

    private String extract(String input) {
        List<String> sentences = Text.sentences(input);
        if (sentences.size() <= 1) {
            return clip(input.trim());
        }
        List<Map<String, Double>> vectors = tfIdf(sentences);
        Map<String, Double> centroid = new HashMap<>();
        vectors.forEach(v -> v.forEach((k, x) -> centroid.merge(k, x, Double::sum)));
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < sentences.size(); i++) {
            order.add(i);
        }
        double[] score = new double[sentences.size()];
        for (int i = 0; i < score.length; i++) {
            score[i] = Text.cosine(vectors.get(i), centroid) * lengthWeight(sentences.get(i));
        }
        order.sort(Comparator.<Integer>comparingDouble(i -> -score[i]).thenComparingInt(i -> i));
        List<Integer> chosen = new ArrayList<>(order.subList(0, Math.min(MAX_SENTENCES, order.size())));
        chosen.sort(Integer::compare);
        StringBuilder sb = new StringBuilder();
        for (int i : chosen) {
            String s = sentences.get(i);
            if (sb.length() + s.length() + 1 > maxChars) {
                break;
            }
            sb.append(sb.length() == 0 ? "" : " ").append(s);
        }
        return sb.length() == 0 ? clip(sentences.get(chosen.get(0))) : sb.toString();
    }

    /** Very short fragments (headings, "Yes.") rarely summarise anything. */
    private static double lengthWeight(String s) {
        int words = s.split("\\s+").length;
        return words < 5 ? 0.3 : words > 60 ? 0.7 : 1.0;
    }

    static List<Map<String, Double>> tfIdf(List<String> sentences) {
        List<Map<String, Double>> tfs = new ArrayList<>(sentences.size());
        Map<String, Integer> df = new HashMap<>();
        for (String s : sentences) {
            Map<String, Double> tf = Text.termFrequencies(s);
            tfs.add(tf);
            tf.keySet().forEach(w -> df.merge(w, 1, Integer::sum));
        }
        int n = sentences.size();
        for (Map<String, Double> tf : tfs) {
            tf.replaceAll((w, f) -> f * Math.log(1.0 + (double) n / df.get(w)));
        }
        return tfs;
    }

    private String clip(String s) {
        return s.length() <= maxChars ? s : s.substring(0, Math.max(1, maxChars - 1)) + "…";
    }
}
