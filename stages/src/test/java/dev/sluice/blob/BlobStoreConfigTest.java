package dev.sluice.blob;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

class BlobStoreConfigTest {
    private static final Path DATA = Path.of("/var/lib/sluice");

    @Test
    void shouldDefaultToTheFolderStoreUnderTheDataDir() throws Exception {
        BlobStoreConfig c = new BlobStoreConfig(Map.of(), DATA);
        assertThat(c.isS3()).isFalse();
        assertThat(c.folder()).isEqualTo(DATA.resolve("blobs"));
        try (BlobStore store = BlobStores.open(c)) {
            assertThat(store).isInstanceOf(FolderBlobStore.class);
            assertThat(((FolderBlobStore) store).root()).isEqualTo(DATA.resolve("blobs"));
        }
        assertThat(c.gcRetention()).isEqualTo(Duration.ofDays(7));
    }

    @Test
    void shouldUseBlobDirForTheFolderStore() {
        assertThat(new BlobStoreConfig(Map.of(BlobStoreConfig.DIR_CONFIG, "/mnt/blobs"), DATA).folder()).isEqualTo(Path.of("/mnt/blobs"));
    }

    @Test
    void shouldRefuseS3WithoutABucketNamingTheKey() {
        assertThatThrownBy(() -> new BlobStoreConfig(Map.of(BlobStoreConfig.STORE_CONFIG, "s3"), DATA))
                .isInstanceOf(ConfigException.class).hasMessageContaining("blob.s3.bucket is required with blob.store=s3");
    }

    @Test
    void shouldRefuseAnUnknownStore() {
        assertThatThrownBy(() -> new BlobStoreConfig(Map.of(BlobStoreConfig.STORE_CONFIG, "nfs"), DATA))
                .isInstanceOf(ConfigException.class).hasMessageContaining("blob.store").hasMessageContaining("one of: folder, s3");
    }

    @Test
    void shouldRefuseAnEndpointThatIsNotAnHttpUrl() {
        assertThatThrownBy(() -> new BlobStoreConfig(Map.of(BlobStoreConfig.STORE_CONFIG, "s3", BlobStoreConfig.S3_BUCKET_CONFIG, "b",
                BlobStoreConfig.S3_ENDPOINT_CONFIG, "minio:9000"), DATA))
                .isInstanceOf(ConfigException.class).hasMessageContaining("blob.s3.endpoint").hasMessageContaining("http(s)://host");
    }

    @Test
    void shouldRefuseAnAccessKeyWithoutItsSecret() {
        assertThatThrownBy(() -> new BlobStoreConfig(Map.of(BlobStoreConfig.STORE_CONFIG, "s3", BlobStoreConfig.S3_BUCKET_CONFIG, "b",
                BlobStoreConfig.S3_ACCESS_KEY_CONFIG, "AKIA"), DATA))
                .isInstanceOf(ConfigException.class).hasMessageContaining("set both blob.s3.access.key and blob.s3.secret.key");
    }

    @Test
    void shouldOpenAnS3StoreWithoutAnyRequest() throws Exception {
        try (BlobStore store = BlobStores.open(Map.of(BlobStoreConfig.STORE_CONFIG, "s3", BlobStoreConfig.S3_BUCKET_CONFIG, "b",
                BlobStoreConfig.S3_ENDPOINT_CONFIG, "http://127.0.0.1:9", BlobStoreConfig.S3_PATH_STYLE_CONFIG, "true",
                BlobStoreConfig.S3_PREFIX_CONFIG, "p/"), DATA)) {
            assertThat(store).isInstanceOf(S3BlobStore.class);
            assertThat(store.toString()).isEqualTo("s3://b/p/ at http://127.0.0.1:9");
        }
    }
}
