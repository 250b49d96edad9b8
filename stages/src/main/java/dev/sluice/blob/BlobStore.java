package dev.sluice.blob;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.HexFormat;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Content-addressed storage of large payloads (PDF bytes, extracted images) that do not belong in
 * Kafka records: a record carries the reference {@code sha256:<hex>} instead of the bytes.
 *
 * <p>Putting the same bytes twice returns the same reference and stores them once, so producers and
 * stages may replay freely; putting bytes already stored makes the blob young again, so that
 * {@link BlobGc} keeps it for another retention period. {@link FolderBlobStore} keeps blobs in a
 * folder (by default {@code data.dir/blobs}); {@link S3BlobStore} in a bucket of an S3-compatible
 * object store (for clusters). Every process of the pipeline must see the same store;
 * {@link BlobStores#open} opens the configured one.
 */
public interface BlobStore extends Closeable {
    /** The prefix of every reference. */
    String SCHEME = "sha256:";

    /**
     * One stored blob, as {@link #list()} sees it.
     *
     * @param ref          its reference, {@code sha256:<hex>}
     * @param size         its size in bytes
     * @param lastModified when it was last put
     */
    record Blob(String ref, long size, Instant lastModified) {
    }

    /** Stores {@code bytes} (idempotently, refreshing the blob's last-modified time) and returns their reference. */
    String put(byte[] bytes) throws IOException;

    /** The bytes of {@code ref}; a {@link java.nio.file.NoSuchFileException} when absent. */
    byte[] get(String ref) throws IOException;

    /** Streams the bytes of {@code ref}. */
    InputStream open(String ref) throws IOException;

    boolean exists(String ref) throws IOException;

    /** Size in bytes of {@code ref}. */
    long size(String ref) throws IOException;

    /**
     * Every stored blob, in no particular order; anything else in the store (temporary files,
     * foreign keys) is skipped. Close the stream; an error while listing is an
     * {@link java.io.UncheckedIOException}.
     */
    Stream<Blob> list() throws IOException;

    /** Removes {@code ref}; false when it was not there. */
    boolean delete(String ref) throws IOException;

    /** Releases the store's connections, if any. */
    @Override
    default void close() throws IOException {
    }

    /** The reference {@code bytes} have (whether stored or not). */
    static String refOf(byte[] bytes) {
        return SCHEME + sha256Hex(bytes);
    }

    /** Hex sha256 of {@code bytes}: the document id of a PDF. */
    static String sha256Hex(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /** The hex digest of a reference; rejects anything but {@code sha256:<64 hex>}. */
    static String digestOf(String ref) {
        if (ref == null || !ref.startsWith(SCHEME) || !HEX64.matcher(ref.substring(SCHEME.length())).matches()) {
            throw new IllegalArgumentException("not a blob reference (sha256:<64 hex digits>): " + ref);
        }
        return ref.substring(SCHEME.length());
    }

    /** 64 lower-case hex digits. */
    Pattern HEX64 = Pattern.compile("[0-9a-f]{64}");
}
