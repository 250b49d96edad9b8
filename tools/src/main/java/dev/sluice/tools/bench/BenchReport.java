package dev.sluice.tools.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Collects benchmark rows and writes them as a Markdown table (appended to the results file). */
public final class BenchReport {
    private final String title;
    private final List<String> rows = new ArrayList<>();

    public BenchReport(String title) {
        this.title = title;
    }

    /** One measured configuration: what ran, how many items, how long, the rate. */
    public void row(String what, long items, double seconds, String note) {
        String r = String.format("| %s | %d | %.2f | %.1f | %s |", what, items, seconds, items / seconds, note);
        rows.add(r);
        System.out.println(r);
    }

    public String markdown() {
        return "\n## " + title + " (" + Instant.now() + ", " + Runtime.getRuntime().availableProcessors() + " cores)\n\n"
                + "| run | items | seconds | items/s | notes |\n|---|---|---|---|---|\n" + String.join("\n", rows) + "\n";
    }

    /** Appends the table to {@code file}. */
    public void appendTo(Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.writeString(file, markdown(), StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        System.out.println("results appended to " + file);
    }
}
