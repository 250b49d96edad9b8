package dev.sluice.blob;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FolderBlobStoreTest {
    @TempDir
    Path dir;

    @Test
    void shouldStoreTheSameBytesOnceUnderTheirSha256() throws Exception {
        FolderBlobStore store = new FolderBlobStore(dir);
        byte[] bytes = "%PDF-1.7 hello".getBytes(StandardCharsets.UTF_8);
        String ref = store.put(bytes);
        assertThat(store.put(bytes)).isEqualTo(ref);
        assertThat(ref).isEqualTo("sha256:" + BlobStore.sha256Hex(bytes)).hasSize(71);
        assertThat(store.get(ref)).isEqualTo(bytes);
        assertThat(store.size(ref)).isEqualTo(bytes.length);
        try (Stream<Path> files = Files.walk(dir)) {
            assertThat(files.filter(Files::isRegularFile)).hasSize(1);
        }
    }

    @Test
    void shouldTellAMissingBlobFromAMalformedReference() throws Exception {
        FolderBlobStore store = new FolderBlobStore(dir);
        String absent = BlobStore.refOf(new byte[] {1});
        assertThat(store.exists(absent)).isFalse();
        assertThatThrownBy(() -> store.get(absent)).isInstanceOf(NoSuchFileException.class);
        assertThatThrownBy(() -> store.get("sha256:../../etc/passwd")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a blob reference");
    }

    @Test
    void shouldListOnlyBlobsSkippingTemporaryAndForeignFiles() throws Exception {
        FolderBlobStore store = new FolderBlobStore(dir);
        String ref = store.put(new byte[] {1, 2, 3});
        Files.writeString(store.path(ref).resolveSibling(".put-123.tmp"), "half");
        Files.writeString(dir.resolve("README"), "not a blob");
        try (Stream<BlobStore.Blob> blobs = store.list()) {
            assertThat(blobs.toList()).singleElement().satisfies(b -> {
                assertThat(b.ref()).isEqualTo(ref);
                assertThat(b.size()).isEqualTo(3);
                assertThat(b.lastModified()).isAfter(Instant.now().minus(Duration.ofMinutes(1)));
            });
        }
        try (Stream<BlobStore.Blob> none = new FolderBlobStore(dir.resolve("absent")).list()) {
            assertThat(none).isEmpty();
        }
    }

    @Test
    void shouldDeleteABlobOnceAndSayWhetherItWasThere() throws Exception {
        FolderBlobStore store = new FolderBlobStore(dir);
        String ref = store.put(new byte[] {4});
        assertThat(store.delete(ref)).isTrue();
        assertThat(store.exists(ref)).isFalse();
        assertThat(store.delete(ref)).isFalse();
    }

    @Test
    void shouldMakeAnOldBlobYoungAgainWhenItIsPutAgain() throws Exception {
        FolderBlobStore store = new FolderBlobStore(dir);
        byte[] bytes = {5, 6};
        String ref = store.put(bytes);
        Files.setLastModifiedTime(store.path(ref), FileTime.from(Instant.now().minus(Duration.ofDays(30))));
        store.put(bytes);
        assertThat(Files.getLastModifiedTime(store.path(ref)).toInstant()).isAfter(Instant.now().minus(Duration.ofMinutes(1)));
    }
}
