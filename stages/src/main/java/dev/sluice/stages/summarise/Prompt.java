package dev.sluice.stages.summarise;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * A versioned prompt, loaded from the resource {@code prompts/<version>.txt} (its system message).
 * The version ({@code document-v1}) is stored with every summary made with it and is part of the
 * cache key, so editing a prompt means adding a new file with a new version, never changing one.
 *
 * @param version the resource's name without {@code .txt}, e.g. {@code thread-wants-v1}
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
    public static final Prompt DOCUMENT = load("document-v1", Format.PROSE);
    /** "What people want" from a Hacker News thread, one comment a line as {@code [id] text}. */
    public static final Prompt THREAD_WANTS = load("thread-wants-v1", Format.WANTS_JSON);

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
