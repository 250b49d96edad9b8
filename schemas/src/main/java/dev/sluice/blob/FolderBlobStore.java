package dev.sluice.blob;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * A {@link BlobStore} in a local folder: {@code <root>/ab/cd/<64 hex>}. Writes go to a temporary
 * file in the same folder and are renamed into place atomically, so a reader never sees half a
 * blob and a crash mid-write leaves at most a stray temporary file. Safe for several processes
 * sharing the folder (a shared volume on Kubernetes, or use an S3-compatible store there).
 */
public final class FolderBlobStore implements BlobStore {
    private final Path root;

    public FolderBlobStore(Path root) {
        this.root = root.toAbsolutePath();
    }

    /** The folder store under a data directory: {@code <dataDir>/blobs}. */
    public static FolderBlobStore underDataDir(Path dataDir) {
        return new FolderBlobStore(dataDir.resolve("blobs"));
    }

    public Path root() {
        return root;
    }

    @Override
    public String put(byte[] bytes) throws IOException {
        String ref = BlobStore.refOf(bytes);
        Path target = path(ref);
        if (Files.exists(target)) {
            return ref;
        }
        Files.createDirectories(target.getParent());
        Path tmp = Files.createTempFile(target.getParent(), ".put-", ".tmp");
        try {
            Files.write(tmp, bytes);
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
        return ref;
    }

    @Override
    public byte[] get(String ref) throws IOException {
        return Files.readAllBytes(existing(ref));
    }

    @Override
    public InputStream open(String ref) throws IOException {
        return Files.newInputStream(existing(ref));
    }

    @Override
    public boolean exists(String ref) {
        return Files.isRegularFile(path(ref));
    }

    @Override
    public long size(String ref) throws IOException {
        return Files.size(existing(ref));
    }

    /** Where {@code ref} lives (whether present or not). */
    public Path path(String ref) {
        String hex = BlobStore.digestOf(ref);
        return root.resolve(hex.substring(0, 2)).resolve(hex.substring(2, 4)).resolve(hex);
    }

    private Path existing(String ref) throws NoSuchFileException {
        Path p = path(ref);
        if (!Files.isRegularFile(p)) {
            throw new NoSuchFileException(p.toString(), null, "blob " + ref + " is not in " + root);
        }
        return p;
    }

    @Override
    public String toString() {
        return "folder blob store " + root;
    }
}
