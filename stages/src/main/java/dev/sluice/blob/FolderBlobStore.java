package dev.sluice.blob;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.stream.Stream;

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
        if (touch(target)) {
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

    /** The blobs under the root; stray temporary files and foreign files are skipped. */
    @Override
    public Stream<Blob> list() throws IOException {
        if (!Files.isDirectory(root)) {
            return Stream.empty();
        }
        return Files.find(root, 3, (p, attrs) -> attrs.isRegularFile() && HEX64.matcher(p.getFileName().toString()).matches())
                .flatMap(FolderBlobStore::blob);
    }

    @Override
    public boolean delete(String ref) throws IOException {
        return Files.deleteIfExists(path(ref));
    }

    /** Marks an existing blob as just put, so that garbage collection keeps it; false when absent. */
    private static boolean touch(Path target) throws IOException {
        try {
            Files.setLastModifiedTime(target, FileTime.fromMillis(System.currentTimeMillis()));
            return true;
        } catch (NoSuchFileException e) {
            return false;
        }
    }

    /** The blob at {@code p}, or none when it was deleted since it was found. */
    private static Stream<Blob> blob(Path p) {
        try {
            BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
            return Stream.of(new Blob(SCHEME + p.getFileName(), a.size(), a.lastModifiedTime().toInstant()));
        } catch (NoSuchFileException e) {
            return Stream.empty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
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
