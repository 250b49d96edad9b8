package dev.sluice.stages.summarise;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * A versioned prompt, loaded from the resource {@code prompts/<version>.txt} (its system message).
 * The version ({@code document-v2}) is stored with every summary made with it and is part of the
 * cache key, so editing a prompt means adding a new file with a new version, never changing one.
 * The subject's text, written by strangers, goes into the user message only through
 * {@link #user(String)}, which fences it as data.
 *
 * @param version the resource's name without {@code .txt}, e.g. {@code thread-wants-v2}
 * @param format  what a valid answer looks like
 * @param system  the system message
 */
public record Prompt(String version, Format format, String system) {

    /** The shape of a valid answer. */
    public enum Format {
        /** Plain prose. */
        PROSE,
        /** {@code {"wants": [{"kind", "text", "comment_ids"}]}} citing only ids of the input. */
        WANTS_JSON
    }

    /** Summary of a document's text. */
    public static final Prompt DOCUMENT = load("document-v2", Format.PROSE);
    /** "What people want" from a Hacker News thread, one comment a line as {@code [id] text}. */
    public static final Prompt THREAD_WANTS = load("thread-wants-v2", Format.WANTS_JSON);

    /** Anything in untrusted text that could open or close a data block, whatever its case or spacing. */
    private static final Pattern DELIMITER = Pattern.compile("<\\s*/?\\s*untrusted[\\s_-]*data", Pattern.CASE_INSENSITIVE);

    /**
     * The user message for {@code untrusted} text: the text between an opening line
     * {@code <untrusted-data id="X">} and a closing line {@code </untrusted-data id="X">}, as the
     * system messages describe. Every {@code <untrusted-data} or {@code </untrusted-data} in the
     * text (any case, spacing, {@code _} or {@code -}) becomes {@code [removed]}, so the text cannot
     * close its own block; the id, 64 bits of the text's SHA-256, also tells a real closing line
     * from look-alikes the pattern does not catch, since a text cannot feasibly contain its own digest.
     */
    public String user(String untrusted) {
        String data = DELIMITER.matcher(untrusted).replaceAll("[removed]");
        String id = HexFormat.of().formatHex(sha256(data), 0, 8);
        return "<untrusted-data id=\"" + id + "\">\n" + data + "\n</untrusted-data id=\"" + id + "\">";
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /** Loads {@code prompts/<version>.txt} from the class path. */
    public static Prompt load(String version, Format format) {
        String path = "/prompts/" + version + ".txt";
        try (InputStream in = Prompt.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("prompt resource " + path + " is missing");
            }
            return new Prompt(version, format, new String(in.readAllBytes(), StandardCharsets.UTF_8).trim());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
