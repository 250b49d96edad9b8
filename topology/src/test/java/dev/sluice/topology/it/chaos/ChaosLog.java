package dev.sluice.topology.it.chaos;

import java.util.ArrayList;
import java.util.List;

/** The chaos run's timeline: each event with its second since the start, printed and kept for the report. */
public final class ChaosLog {
    private static final List<String> EVENTS = new ArrayList<>();
    private static long start = System.nanoTime();

    private ChaosLog() {
    }

    /** Starts the clock again (a new run). */
    public static synchronized void reset() {
        start = System.nanoTime();
        EVENTS.clear();
    }

    /** Seconds since {@link #reset}. */
    public static double seconds() {
        return (System.nanoTime() - start) / 1e9;
    }

    public static synchronized void event(String format, Object... args) {
        String line = String.format("[chaos %6.1f s] ", seconds()) + String.format(format, args);
        EVENTS.add(line);
        System.out.println(line);
    }

    /** Every event so far, one a line. */
    public static synchronized String timeline() {
        return String.join("\n", EVENTS);
    }
}
