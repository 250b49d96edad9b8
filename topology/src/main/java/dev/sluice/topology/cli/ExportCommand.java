package dev.sluice.topology.cli;

import dev.sluice.sinks.postgres.TableExport;
import dev.sluice.topology.DeadLetterExport;
import dev.sluice.topology.Infrastructure;
import dev.sluice.topology.SluiceConfig;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code sluice export TABLE|dlq}: stored rows, or every dead-lettered record, to stdout. */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = "Print stored rows of a table (hn_items, documents, summaries) or every dead-lettered record (dlq) as JSON lines.")
final class ExportCommand implements Callable<Integer> {
    static final String DLQ = "dlq";

    @Mixin
    ConfigOptions common;

    @Parameters(index = "0", description = "What to export: ${COMPLETION-CANDIDATES}", completionCandidates = Tables.class)
    String table;

    @Option(names = "--format", defaultValue = "jsonl", description = "Output format (jsonl).")
    String format;

    static final class Tables implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return choices().iterator();
        }
    }

    static java.util.Set<String> choices() {
        TreeSet<String> all = new TreeSet<>(TableExport.tables());
        all.add(DLQ);
        return all;
    }

    @Override
    public Integer call() throws Exception {
        if (!format.equals("jsonl")) {
            throw new IllegalArgumentException("unsupported --format '" + format + "'; use jsonl");
        }
        if (!choices().contains(table)) {
            throw new IllegalArgumentException("unknown table '" + table + "'; exportable: " + choices());
        }
        SluiceConfig config = new SluiceConfig(common.collect(Map.of()));
        boolean dlq = table.equals(DLQ);
        try (Infrastructure infra = Infrastructure.open(config, dlq, !dlq)) {
            long n = dlq ? DeadLetterExport.export(infra.clientProps(), config.names(), System.out)
                    : TableExport.export(infra.jdbcUrl(), table, System.out);
            System.err.println("exported " + n + (dlq ? " dead-lettered records" : " rows of " + table));
        }
        return 0;
    }
}
