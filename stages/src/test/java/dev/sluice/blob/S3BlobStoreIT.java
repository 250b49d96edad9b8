package dev.sluice.blob;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link S3BlobStore} against a real S3-compatible server: S3Proxy on its filesystem backend, as a child JVM. */
class S3BlobStoreIT {
    private static final Path UNUSED = Path.of("unused");
    private Map<String, String> settings;
    private BlobStore store;

    @BeforeEach
    void openStoreOnANewBucket() throws Exception {
        settings = S3Proxy.shared().newBucket();
        store = BlobStores.open(settings, UNUSED);
    }

    @AfterEach
    void closeStore() throws IOException {
        store.close();
    }

    private BlobStore storeWith(String key, String value) {
        Map<String, String> s = new HashMap<>(settings);
        s.put(key, value);
        return BlobStores.open(s, UNUSED);
    }

    private List<BlobStore.Blob> listed(BlobStore s) throws IOException {
        try (Stream<BlobStore.Blob> blobs = s.list()) {
            return blobs.toList();
        }
    }

    @Test
    void shouldOpenAnS3StoreWhenConfigured() throws Exception {
        assertThat(store).isInstanceOf(S3BlobStore.class);
        assertThat(store.toString()).contains(settings.get(BlobStoreConfig.S3_BUCKET_CONFIG)).contains(S3Proxy.shared().endpoint());
    }

    @Test
    void shouldRoundTripPutGetOpenExistsSizeAndDelete() throws Exception {
        byte[] bytes = "%PDF-1.7 round trip".getBytes(StandardCharsets.UTF_8);
        String ref = store.put(bytes);
        assertThat(store.exists(ref)).isTrue();
        assertThat(store.get(ref)).isEqualTo(bytes);
        try (InputStream in = store.open(ref)) {
            assertThat(in.readAllBytes()).isEqualTo(bytes);
        }
        assertThat(store.size(ref)).isEqualTo(bytes.length);
        assertThat(store.delete(ref)).isTrue();
        assertThat(store.exists(ref)).isFalse();
        assertThat(store.delete(ref)).isFalse();
    }

    @Test
    void shouldStoreTheSameBytesOnceUnderTheirSha256() throws Exception {
        byte[] bytes = "%PDF-1.7 same bytes".getBytes(StandardCharsets.UTF_8);
        String ref = store.put(bytes);
        assertThat(store.put(bytes)).isEqualTo(ref).isEqualTo(BlobStore.refOf(bytes));
        assertThat(((S3BlobStore) store).key(ref)).isEqualTo("blobs/" + BlobStore.sha256Hex(bytes));
        assertThat(listed(store)).extracting(BlobStore.Blob::ref).containsExactly(ref);
        assertThat(listed(store).get(0).size()).isEqualTo(bytes.length);
    }

    @Test
    void shouldPutAndReadBackA20MegabyteBlob() throws Exception {
        byte[] bytes = new byte[20 << 20];
        new Random(42).nextBytes(bytes);
        long t0 = System.nanoTime();
        String ref = store.put(bytes);
        byte[] back = store.get(ref);
        System.out.printf("20 MB put+get on S3Proxy: %d ms%n", (System.nanoTime() - t0) / 1_000_000);
        assertThat(BlobStore.refOf(back)).isEqualTo(ref);
        assertThat(store.size(ref)).isEqualTo(bytes.length);
    }

    @Test
    void shouldReportAMissingBlobAsNoSuchFileNamingTheStore() throws Exception {
        String absent = BlobStore.refOf(new byte[] {1});
        assertThat(store.exists(absent)).isFalse();
        for (ThrowingRead read : List.<ThrowingRead>of(store::get, store::open, store::size)) {
            assertThatThrownBy(() -> read.read(absent)).isInstanceOf(NoSuchFileException.class)
                    .hasMessageContaining("blob " + absent + " is not in s3://" + settings.get(BlobStoreConfig.S3_BUCKET_CONFIG));
        }
        assertThatThrownBy(() -> store.get("sha256:../../etc/passwd")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a blob reference");
    }

    @Test
    void shouldRefuseWrongCredentialsWithAnErrorNamingTheSettings() throws Exception {
        try (BlobStore wrong = storeWith(BlobStoreConfig.S3_SECRET_KEY_CONFIG, "not-the-secret")) {
            assertThatThrownBy(() -> wrong.put(new byte[] {2})).isInstanceOf(IOException.class)
                    .isNotInstanceOf(NoSuchFileException.class)
                    .hasMessageContaining("refused the credentials")
                    .hasMessageContaining(BlobStoreConfig.S3_ACCESS_KEY_CONFIG)
                    .hasMessageContaining("AWS_SECRET_ACCESS_KEY");
            assertThatThrownBy(() -> wrong.list().count()).hasMessageContaining("refused the credentials");
        }
    }

    @Test
    void shouldNameTheBucketSettingWhenTheBucketDoesNotExist() throws Exception {
        try (BlobStore nowhere = storeWith(BlobStoreConfig.S3_BUCKET_CONFIG, "no-such-bucket")) {
            assertThatThrownBy(() -> nowhere.get(BlobStore.refOf(new byte[] {3}))).isInstanceOf(IOException.class)
                    .isNotInstanceOf(NoSuchFileException.class)
                    .hasMessageContaining("bucket 'no-such-bucket' does not exist").hasMessageContaining(BlobStoreConfig.S3_BUCKET_CONFIG);
        }
    }

    @Test
    void shouldSayTheEndpointIsUnreachable() throws Exception {
        try (BlobStore closed = storeWith(BlobStoreConfig.S3_ENDPOINT_CONFIG, "http://127.0.0.1:9")) {
            assertThatThrownBy(() -> closed.exists(BlobStore.refOf(new byte[] {4}))).isInstanceOf(IOException.class)
                    .hasMessageContaining("unreachable").hasMessageContaining(BlobStoreConfig.S3_ENDPOINT_CONFIG);
        }
    }

    @Test
    void shouldMakeAnOldBlobYoungAgainWhenItIsPutAgain() throws Exception {
        byte[] bytes = "%PDF-1.7 put again".getBytes(StandardCharsets.UTF_8);
        String ref = store.put(bytes);
        Path onDisk = S3Proxy.shared().file(settings.get(BlobStoreConfig.S3_BUCKET_CONFIG), ((S3BlobStore) store).key(ref));
        Files.setLastModifiedTime(onDisk, FileTime.from(Instant.now().minus(Duration.ofDays(30))));
        assertThat(listed(store).get(0).lastModified()).isBefore(Instant.now().minus(Duration.ofDays(29)));
        store.put(bytes);
        assertThat(listed(store).get(0).lastModified()).isAfter(Instant.now().minus(Duration.ofMinutes(1)));
        assertThat(store.get(ref)).isEqualTo(bytes);
    }

    @Test
    void shouldListOnlyBlobsUnderItsPrefix() throws Exception {
        String ours = store.put("ours".getBytes(StandardCharsets.UTF_8));
        try (BlobStore other = storeWith(BlobStoreConfig.S3_PREFIX_CONFIG, "other/")) {
            String theirs = other.put("theirs".getBytes(StandardCharsets.UTF_8));
            assertThat(listed(store)).extracting(BlobStore.Blob::ref).containsExactly(ours);
            assertThat(listed(other)).extracting(BlobStore.Blob::ref).containsExactly(theirs);
            assertThat(store.exists(theirs)).isFalse();
        }
    }

    @FunctionalInterface
    private interface ThrowingRead {
        Object read(String ref) throws Exception;
    }
}
