package dev.sluice.blob;

import java.nio.file.Path;

/** {@link BlobGc} on the S3 store, against a real S3-compatible server (S3Proxy). */
class S3BlobGcIT extends BlobGcContract {
    @Override
    BlobStore newStore() throws Exception {
        return BlobStores.open(S3Proxy.shared().newBucket(), Path.of("unused"));
    }
}
