package dev.sluice.topology.cli;

import dev.sluice.sinks.postgres.TableExport;
import dev.sluice.topology.Infrastructure;
import dev.sluice.topology.SluiceConfig;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code sluice export TABLE}: stored rows to stdout. */
@Command(name = "export", mixinStandardHelpOptions = true, description = "Print stored rows of a table (hn_items, summaries) as JSON lines.")
final class ExportCommand implements Callable<Integer> {
    @Mixin
    ConfigOptions common;

    @Parameters(index = "0", description = "Table to export: ${COMPLETION-CANDIDATES}", completionCandidates = Tables.class)
    String table;

    @Option(names = "--format", defaultValue = "jsonl", description = "Output format (jsonl).")
    String format;

    static final class Tables implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return TableExport.tables().iterator();
        }
    }

    @Override
    public Integer call() throws Exception {
        if (!format.equals("jsonl")) {
            throw new IllegalArgumentException("unsupported --format '" + format + "'; use jsonl");
        }
        if (!TableExport.tables().contains(table)) {
            throw new IllegalArgumentException("unknown table '" + table + "'; exportable: " + TableExport.tables());
        }
        SluiceConfig config = new SluiceConfig(common.collect(Map.of()));
        try (Infrastructure infra = Infrastructure.open(config, false, true)) {
            long n = TableExport.export(infra.jdbcUrl(), table, System.out);
            System.err.println("exported " + n + " rows of " + table);
        }
        return 0;
    }
}
