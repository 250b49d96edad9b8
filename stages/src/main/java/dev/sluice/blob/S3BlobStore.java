package dev.sluice.blob;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.MetadataDirective;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * A {@link BlobStore} in a bucket of an S3-compatible object store: the blob {@code sha256:<hex>} is
 * the object {@code <prefix><hex>}. A put is one PUT request, atomic on the server, so a reader never
 * sees half a blob; putting bytes already stored copies the object onto itself, which costs no upload
 * and makes it young again for {@link BlobGc}. Errors of the server come back as {@link IOException}s
 * that name the bucket, the endpoint and, for refused credentials or a missing bucket, the setting to
 * change; a missing blob is a {@link NoSuchFileException}, as in {@link FolderBlobStore}.
 *
 * <p>Build one with {@link BlobStores#open}.
 */
public final class S3BlobStore implements BlobStore {
    private static final Logger log = LoggerFactory.getLogger(S3BlobStore.class);
    private static final String CONTENT_TYPE = "application/octet-stream";
    private static final String REF_METADATA = "sluice-ref";

    private final S3Client s3;
    private final String bucket;
    private final String prefix;
    private final String where;

    /**
     * @param s3     the client (closed with this store)
     * @param bucket an existing bucket
     * @param prefix key prefix of every blob, possibly empty
     * @param where  the endpoint, for error messages
     */
    public S3BlobStore(S3Client s3, String bucket, String prefix, String where) {
        this.s3 = Objects.requireNonNull(s3);
        this.bucket = Objects.requireNonNull(bucket);
        this.prefix = Objects.requireNonNull(prefix);
        this.where = where;
    }

    @Override
    public String put(byte[] bytes) throws IOException {
        String ref = BlobStore.refOf(bytes);
        String key = key(ref);
        call(ref, () -> {
            if (head(key) == null || !touch(key, ref)) {
                s3.putObject(b -> b.bucket(bucket).key(key).contentType(CONTENT_TYPE).metadata(Map.of(REF_METADATA, ref)),
                        RequestBody.fromBytes(bytes));
            }
            return null;
        });
        return ref;
    }

    /** Copies an object onto itself, which sets its last-modified time; false when it vanished meanwhile. */
    private boolean touch(String key, String ref) {
        try {
            s3.copyObject(b -> b.sourceBucket(bucket).sourceKey(key).destinationBucket(bucket).destinationKey(key)
                    .metadataDirective(MetadataDirective.REPLACE).contentType(CONTENT_TYPE).metadata(Map.of(REF_METADATA, ref)));
            return true;
        } catch (NoSuchKeyException e) {
            return false;
        }
    }

    @Override
    public byte[] get(String ref) throws IOException {
        try (InputStream in = open(ref)) {
            return in.readAllBytes();
        }
    }

    @Override
    public InputStream open(String ref) throws IOException {
        String key = key(ref);
        return call(ref, () -> s3.getObject(b -> b.bucket(bucket).key(key)));
    }

    @Override
    public boolean exists(String ref) throws IOException {
        String key = key(ref);
        return call(ref, () -> head(key) != null);
    }

    @Override
    public long size(String ref) throws IOException {
        String key = key(ref);
        HeadObjectResponse head = call(ref, () -> head(key));
        if (head == null) {
            throw missing(ref);
        }
        return head.contentLength();
    }

    /** The objects under the prefix whose name is a sha256, page by page as the stream is read. */
    @Override
    public Stream<Blob> list() throws IOException {
        Iterator<S3Object> pages = call(null, () -> s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix))
                .contents().iterator());
        Iterator<S3Object> objects = new Iterator<>() {
            @Override
            public boolean hasNext() {
                return unchecked(pages::hasNext);
            }

            @Override
            public S3Object next() {
                return unchecked(pages::next);
            }
        };
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(objects, Spliterator.NONNULL), false)
                .filter(o -> HEX64.matcher(o.key().substring(prefix.length())).matches())
                .map(this::blob);
    }

    /** A call made while a listing is read: errors become {@link UncheckedIOException}s. */
    private <T> T unchecked(S3Call<T> call) {
        try {
            return call(null, call);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public boolean delete(String ref) throws IOException {
        String key = key(ref);
        return call(ref, () -> {
            boolean present = head(key) != null;
            s3.deleteObject(b -> b.bucket(bucket).key(key));
            return present;
        });
    }

    @Override
    public void close() {
        s3.close();
    }

    /** The object key of {@code ref}. */
    public String key(String ref) {
        return prefix + BlobStore.digestOf(ref);
    }

    private HeadObjectResponse head(String key) {
        try {
            return s3.headObject(b -> b.bucket(bucket).key(key));
        } catch (NoSuchKeyException e) {
            return null;
        } catch (S3Exception e) {
            if (e.statusCode() == 404 && !"NoSuchBucket".equals(code(e))) {
                return null;
            }
            throw e;
        }
    }

    private Blob blob(S3Object o) {
        return new Blob(SCHEME + o.key().substring(prefix.length()), o.size(), o.lastModified());
    }

    /** One S3 call, its errors turned into IOExceptions that say what to change. */
    private <T> T call(String ref, S3Call<T> call) throws IOException {
        try {
            return call.run();
        } catch (NoSuchKeyException e) {
            throw missing(ref);
        } catch (S3Exception e) {
            throw explain(ref, e);
        } catch (SdkException e) {
            throw new IOException("S3 blob store " + this + " is unreachable: " + e.getMessage()
                    + " (check " + BlobStoreConfig.S3_ENDPOINT_CONFIG + ")", e);
        }
    }

    private IOException explain(String ref, S3Exception e) {
        String code = code(e);
        if (e.statusCode() == 404 && "NoSuchBucket".equals(code)) {
            return new IOException("bucket '" + bucket + "' does not exist at " + where + ": create it or set "
                    + BlobStoreConfig.S3_BUCKET_CONFIG, e);
        }
        if (e.statusCode() == 404 && ref != null) {
            return missing(ref);
        }
        if (e.statusCode() == 403 || "InvalidAccessKeyId".equals(code) || "SignatureDoesNotMatch".equals(code)) {
            return new IOException("S3 at " + where + " refused the credentials for bucket '" + bucket + "' (" + e.statusCode()
                    + (code == null ? "" : " " + code) + "): check " + BlobStoreConfig.S3_ACCESS_KEY_CONFIG + " and "
                    + BlobStoreConfig.S3_SECRET_KEY_CONFIG + " (or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY)"
                    + " and the bucket's policy", e);
        }
        log.debug("S3 call failed", e);
        return new IOException("S3 blob store " + this + " failed" + (ref == null ? "" : " on " + ref) + ": "
                + e.statusCode() + (code == null ? "" : " " + code) + " " + e.getMessage(), e);
    }

    private NoSuchFileException missing(String ref) {
        return new NoSuchFileException(key(ref), null, "blob " + ref + " is not in " + this);
    }

    private static String code(S3Exception e) {
        return e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
    }

    @Override
    public String toString() {
        return "s3://" + bucket + "/" + prefix + " at " + where;
    }

    @FunctionalInterface
    private interface S3Call<T> {
        T run();
    }
}
