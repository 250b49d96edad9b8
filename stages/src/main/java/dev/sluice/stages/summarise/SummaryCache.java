package dev.sluice.stages.summarise;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Model answers by content hash, prompt version and model chain, so a replay (exactly-once holds
 * for records, not for model calls) never pays for the same summary twice. Only model answers are
 * kept; the offline summariser costs nothing and is not cached.
 */
public interface SummaryCache extends AutoCloseable {

    /** A cache that keeps nothing. */
    SummaryCache NONE = new SummaryCache() {
        @Override
        public Optional<Draft> get(String key) {
            return Optional.empty();
        }

        @Override
        public void put(String key, String promptVersion, Draft draft) {
        }
    };

    Optional<Draft> get(String key);

    void put(String key, String promptVersion, Draft draft);

    @Override
    default void close() {
    }

    /** SHA-256 of prompt version, chain and input: the key under which an answer is kept. */
    static String key(String promptVersion, String chain, String input) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update((promptVersion + "\n" + chain + "\n").getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(md.digest(input.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
