package dev.sluice.topology.it;

import dev.sluice.stage.StageProvider;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;

/** Packs a stage class into its own jar with its ServiceLoader line, as a data engineer would build it. */
final class PluginJars {
    private PluginJars() {
    }

    static Path pack(Path jar, Class<? extends StageProvider> stage) throws Exception {
        String cls = stage.getName().replace('.', '/') + ".class";
        try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file)) {
            out.putNextEntry(new JarEntry("META-INF/services/" + StageProvider.class.getName()));
            out.write((stage.getName() + "\n").getBytes(StandardCharsets.UTF_8));
            out.putNextEntry(new JarEntry(cls));
            try (var in = stage.getClassLoader().getResourceAsStream(cls)) {
                in.transferTo(out);
            }
        }
        return jar;
    }
}
