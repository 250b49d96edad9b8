package dev.sluice.blob;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
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
}
