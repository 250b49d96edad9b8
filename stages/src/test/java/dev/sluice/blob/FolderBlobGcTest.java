package dev.sluice.blob;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** {@link BlobGc} on the folder store. */
class FolderBlobGcTest extends BlobGcContract {
    @TempDir
    Path dir;

    @Override
    BlobStore newStore() {
        return new FolderBlobStore(dir.resolve("blobs"));
    }
}
