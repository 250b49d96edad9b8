package dev.sluice.topology.cli;

import dev.sluice.topology.SluiceConfig;
import dev.sluice.topology.k8s.K8sManifests;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code sluice k8s generate}: the Kubernetes manifests, from the stage catalog. */
@Command(name = "k8s", mixinStandardHelpOptions = true, description = "Kubernetes manifests of the pipeline.",
        subcommands = K8sCommand.Generate.class)
final class K8sCommand {

    /** Writes k8s/ (Kustomize base, scaler components, overlays) from StageCatalog. */
    @Command(name = "generate", mixinStandardHelpOptions = true,
            description = "Write the Kustomize base, scaler components and overlays from the stage catalog.")
    static final class Generate implements Callable<Integer> {
        @Mixin
        ConfigOptions common;

        @Option(names = "--out", description = "Output folder (default k8s).")
        Path out = Path.of("k8s");

        @Override
        public Integer call() throws Exception {
            SluiceConfig config = new SluiceConfig(common.collect(Map.of()));
            new K8sManifests(config.getInt(SluiceConfig.PARTITIONS_CONFIG), config.getInt(SluiceConfig.METRICS_PORT_CONFIG),
                    config.names())
                    .write(out);
            System.out.println("wrote " + out.resolve("base") + ", " + out.resolve("components") + ", "
                    + out.resolve("overlays") + ", " + out.resolve("kafka"));
            return 0;
        }
    }
}
