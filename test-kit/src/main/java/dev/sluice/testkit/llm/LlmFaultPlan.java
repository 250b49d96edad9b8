package dev.sluice.testkit.llm;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Decides which completion requests of {@link FakeLlmServer} fail. In order: a model marked down
 * always fails ({@link LlmFault#SERVER_ERROR} as 503-like 500); then scripted faults, one per
 * request, in order; then faults at {@code failRate}, a pure function of {@code (seed, prompt,
 * attempt)}, at most {@code maxConsecutive} in a row for one prompt.
 */
public final class LlmFaultPlan {
    private final double failRate;
    private final long seed;
    private final int maxConsecutive;
    private final List<LlmFault> kinds;
    private final Set<String> down = ConcurrentHashMap.newKeySet();
    private final ConcurrentLinkedQueue<LlmFault> script = new ConcurrentLinkedQueue<>();
    private final Map<String, int[]> streaks = new ConcurrentHashMap<>();
    private final AtomicLong injected = new AtomicLong();

    LlmFaultPlan(double failRate, long seed, int maxConsecutive, Set<LlmFault> kinds, Set<String> down) {
        this.failRate = failRate;
        this.seed = seed;
        this.maxConsecutive = maxConsecutive;
        this.kinds = new ArrayList<>(kinds);
        this.down.addAll(down);
    }

    /** Marks a model down (every completion fails) or up again. */
    public void setDown(String model, boolean isDown) {
        if (isDown) {
            down.add(model);
        } else {
            down.remove(model);
        }
    }

    /** The next requests get these faults, one each, before any drawn at the fail rate. */
    public void script(LlmFault... faults) {
        script.addAll(List.of(faults));
    }

    /** Faults injected so far. */
    public long injected() {
        return injected.get();
    }

    LlmFault decide(String model, String prompt) {
        LlmFault f = down.contains(model) ? LlmFault.SERVER_ERROR : script.poll();
        if (f == null && failRate > 0 && !kinds.isEmpty()) {
            f = drawn(model + "\n" + prompt);
        }
        if (f != null) {
            injected.incrementAndGet();
        }
        return f;
    }

    private LlmFault drawn(String key) {
        int[] tally = streaks.computeIfAbsent(key, k -> new int[2]);
        synchronized (tally) {
            int attempt = tally[0]++;
            long h = mix(seed ^ mix(key.hashCode()) ^ mix(0x9E3779B97F4A7C15L * (attempt + 1L)));
            boolean fail = tally[1] < maxConsecutive && (h >>> 11) * 0x1.0p-53 < failRate;
            tally[1] = fail ? tally[1] + 1 : 0;
            return fail ? kinds.get((int) Long.remainderUnsigned(mix(h), kinds.size())) : null;
        }
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
