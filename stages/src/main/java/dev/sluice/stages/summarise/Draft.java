package dev.sluice.stages.summarise;

/**
 * A summary as a summariser produced it.
 *
 * @param text      the validated summary
 * @param model     the model that produced it ({@value OfflineSummarizer#MODEL} for the offline one)
 * @param tokensIn  prompt tokens billed, all map-reduce calls together (0 offline)
 * @param tokensOut completion tokens billed (0 offline)
 */
public record Draft(String text, String model, int tokensIn, int tokensOut) {
}
