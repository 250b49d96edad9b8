package dev.sluice.stages.summarise;

import dev.sluice.stage.PermanentStageException;
import dev.sluice.stage.RetriableStageException;
import java.util.Set;

/**
 * Turns a subject's text into a summary following a {@link Prompt}. Implementations are chosen by
 * configuration ({@link Summarizers#fromConfig}) and are thread-safe: the summarise stage calls one
 * from {@code summarise.concurrency} threads at once.
 */
public interface Summarizer {

    /** What this summariser is, e.g. the model name; recorded on each summary it makes. */
    String name();

    /**
     * @param prompt     the prompt and the answer format to validate against
     * @param input      the subject's text; for {@link Prompt.Format#WANTS_JSON} one comment a line as {@code [id] text}
     * @param commentIds the comment ids a {@link Prompt.Format#WANTS_JSON} answer may cite, from the
     *                   record itself ({@link Subject#commentIds()}), never parsed from {@code input}
     * @return a validated summary
     * @throws RetriableStageException when this summariser failed for now (endpoint down, answers rejected)
     * @throws PermanentStageException when it never will for this input (e.g. over the token budget)
     */
    Draft summarise(Prompt prompt, String input, Set<Long> commentIds)
            throws RetriableStageException, PermanentStageException, InterruptedException;

    /** A summary of a subject that cites no comments (a document). */
    default Draft summarise(Prompt prompt, String input) throws RetriableStageException, PermanentStageException, InterruptedException {
        return summarise(prompt, input, Set.of());
    }
}
