package dev.sluice.topology.cli;

import dev.sluice.blob.BlobGc;
import dev.sluice.blob.BlobStore;
import dev.sluice.blob.BlobStoreConfig;
import dev.sluice.blob.BlobStores;
import dev.sluice.sinks.postgres.StoredDocumentBlobs;
import dev.sluice.topology.Infrastructure;
import dev.sluice.topology.SluiceConfig;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code sluice blobs gc [--dry-run]}: maintenance of the blob store. */
@Command(name = "blobs", mixinStandardHelpOptions = true, description = "Maintain the blob store.",
        subcommands = BlobsCommand.Gc.class)
final class BlobsCommand implements Runnable {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "name what to do: gc");
    }

    /**
     * One garbage collection pass: deletes the blobs of stored documents put longer ago than
     * {@code blob.gc.retention.ms} (the store-documents stage also does this every {@code blob.gc.interval.ms}).
     */
    @Command(name = "gc", mixinStandardHelpOptions = true,
            description = "Delete the PDF blobs of stored documents put longer ago than blob.gc.retention.ms.")
    static final class Gc implements Callable<Integer> {
        @Mixin
        ConfigOptions common;

        @Option(names = "--dry-run", description = "Only count what would be deleted.")
        boolean dryRun;

        @Override
        public Integer call() throws Exception {
            Map<String, String> props = common.collect(Map.of());
            SluiceConfig config = new SluiceConfig(props);
            BlobStoreConfig blobs = new BlobStoreConfig(props, Path.of(config.getString(SluiceConfig.DATA_DIR_CONFIG)));
            try (Infrastructure infra = Infrastructure.open(config, false, true); BlobStore store = BlobStores.open(blobs)) {
                BlobGc.Result r = new BlobGc(store, new StoredDocumentBlobs(infra.jdbcUrl()), blobs.gcRetention(),
                        Clock.systemUTC()).run(dryRun);
                System.out.println(r);
            }
            return 0;
        }
    }
}
