package dev.sluice.blob;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.ValidString;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;

/**
 * Which {@link BlobStore} the pipeline uses and how its blobs are collected. The folder store is the
 * default; {@code blob.store=s3} needs at least {@code blob.s3.bucket}. Contradictions fail here, at
 * start, naming the key to change.
 */
public final class BlobStoreConfig extends AbstractConfig {
    public static final String FOLDER = "folder";
    public static final String S3 = "s3";

    public static final String STORE_CONFIG = "blob.store";
    public static final String STORE_DOC = "Where blobs (PDF bytes, extracted images) live: 'folder' (blob.dir, for one machine or a shared volume) or 's3' (a bucket of an S3-compatible object store, for clusters). Every process of the pipeline must see the same store.";
    public static final String DIR_CONFIG = "blob.dir";
    public static final String DIR_DOC = "Folder of the folder blob store; empty means data.dir/blobs.";
    public static final String S3_BUCKET_CONFIG = "blob.s3.bucket";
    public static final String S3_BUCKET_DOC = "Bucket of the S3 blob store (required with blob.store=s3); it must exist.";
    public static final String S3_PREFIX_CONFIG = "blob.s3.prefix";
    public static final String S3_PREFIX_DOC = "Key prefix of the blobs in the bucket: a blob's key is the prefix then its 64 hex digits. Garbage collection only looks under it.";
    public static final String S3_ENDPOINT_CONFIG = "blob.s3.endpoint";
    public static final String S3_ENDPOINT_DOC = "Endpoint URL of an S3-compatible server (MinIO, Ceph, ...), e.g. http://minio.storage:9000; empty means AWS S3 of blob.s3.region.";
    public static final String S3_REGION_CONFIG = "blob.s3.region";
    public static final String S3_REGION_DOC = "Region the requests are signed for (S3-compatible servers mostly accept us-east-1).";
    public static final String S3_PATH_STYLE_CONFIG = "blob.s3.path.style";
    public static final String S3_PATH_STYLE_DOC = "Address the bucket in the path (http://host/bucket/key) rather than the host name (http://bucket.host/key); most S3-compatible servers need true.";
    public static final String S3_ACCESS_KEY_CONFIG = "blob.s3.access.key";
    public static final String S3_ACCESS_KEY_DOC = "Access key id; empty means the SDK's default chain: env AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (on Kubernetes, from a Secret), then ~/.aws/credentials, then the container's or instance's role.";
    public static final String S3_SECRET_KEY_CONFIG = "blob.s3.secret.key";
    public static final String S3_SECRET_KEY_DOC = "Secret access key, with blob.s3.access.key.";
    public static final String S3_TIMEOUT_MS_CONFIG = "blob.s3.timeout.ms";
    public static final String S3_TIMEOUT_MS_DOC = "Longest S3 call, retries included (a put of the largest document must fit).";
    public static final String GC_RETENTION_MS_CONFIG = "blob.gc.retention.ms";
    public static final String GC_RETENTION_MS_DOC = "A document's PDF blob is deleted once the document is stored and the blob was last put longer ago than this, so that a replay within it still finds its blob. Image blobs and blobs of documents not stored are kept.";
    public static final String GC_INTERVAL_MS_CONFIG = "blob.gc.interval.ms";
    public static final String GC_INTERVAL_MS_DOC = "How often the store-documents stage collects blobs (see blob.gc.retention.ms); 0 turns it off (then run ./sluice blobs gc).";

    public static final ConfigDef CONFIG = new ConfigDef()
            .define(STORE_CONFIG, Type.STRING, FOLDER, ValidString.in(FOLDER, S3), Importance.HIGH, STORE_DOC)
            .define(DIR_CONFIG, Type.STRING, "", Importance.HIGH, DIR_DOC)
            .define(S3_BUCKET_CONFIG, Type.STRING, "", Importance.HIGH, S3_BUCKET_DOC)
            .define(S3_PREFIX_CONFIG, Type.STRING, "blobs/", Importance.LOW, S3_PREFIX_DOC)
            .define(S3_ENDPOINT_CONFIG, Type.STRING, "", Importance.MEDIUM, S3_ENDPOINT_DOC)
            .define(S3_REGION_CONFIG, Type.STRING, "us-east-1", Importance.MEDIUM, S3_REGION_DOC)
            .define(S3_PATH_STYLE_CONFIG, Type.BOOLEAN, false, Importance.MEDIUM, S3_PATH_STYLE_DOC)
            .define(S3_ACCESS_KEY_CONFIG, Type.STRING, "", Importance.MEDIUM, S3_ACCESS_KEY_DOC)
            .define(S3_SECRET_KEY_CONFIG, Type.PASSWORD, "", Importance.MEDIUM, S3_SECRET_KEY_DOC)
            .define(S3_TIMEOUT_MS_CONFIG, Type.LONG, 120_000L, Range.atLeast(1_000), Importance.LOW, S3_TIMEOUT_MS_DOC)
            .define(GC_RETENTION_MS_CONFIG, Type.LONG, Duration.ofDays(7).toMillis(), Range.atLeast(0), Importance.MEDIUM, GC_RETENTION_MS_DOC)
            .define(GC_INTERVAL_MS_CONFIG, Type.LONG, Duration.ofHours(1).toMillis(), Range.atLeast(0), Importance.LOW, GC_INTERVAL_MS_DOC);

    private final Path dataDir;

    /** @param dataDir where {@code blob.dir} defaults to ({@code <dataDir>/blobs}) */
    public BlobStoreConfig(Map<?, ?> props, Path dataDir) {
        super(CONFIG, props, false);
        this.dataDir = dataDir;
        if (isS3()) {
            validateS3();
        }
    }

    private void validateS3() {
        if (getString(S3_BUCKET_CONFIG).isBlank()) {
            throw new ConfigException(S3_BUCKET_CONFIG + " is required with " + STORE_CONFIG + "=s3: set the bucket the blobs go to");
        }
        String endpoint = getString(S3_ENDPOINT_CONFIG);
        if (!endpoint.isBlank()) {
            URI uri = URI.create(endpoint);
            if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
                throw new ConfigException(S3_ENDPOINT_CONFIG, endpoint, "not an http(s)://host[:port] URL");
            }
        }
        if (getString(S3_ACCESS_KEY_CONFIG).isBlank() != getPassword(S3_SECRET_KEY_CONFIG).value().isBlank()) {
            throw new ConfigException("set both " + S3_ACCESS_KEY_CONFIG + " and " + S3_SECRET_KEY_CONFIG
                    + ", or neither (then AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are read)");
        }
    }

    public boolean isS3() {
        return S3.equals(getString(STORE_CONFIG));
    }

    /** The folder of the folder store. */
    public Path folder() {
        String dir = getString(DIR_CONFIG);
        return dir.isBlank() ? dataDir.resolve("blobs") : Path.of(dir);
    }

    /** The S3 endpoint override; null for AWS itself. */
    public URI s3Endpoint() {
        String endpoint = getString(S3_ENDPOINT_CONFIG);
        return endpoint.isBlank() ? null : URI.create(endpoint);
    }

    /** The configured secret key; empty when the SDK's default chain is to be used. */
    public String s3SecretKey() {
        Password p = getPassword(S3_SECRET_KEY_CONFIG);
        return p == null ? "" : p.value();
    }

    public Duration gcRetention() {
        return Duration.ofMillis(getLong(GC_RETENTION_MS_CONFIG));
    }

    /** How often the store-documents stage collects; {@link Duration#ZERO} when it does not. */
    public Duration gcInterval() {
        return Duration.ofMillis(getLong(GC_INTERVAL_MS_CONFIG));
    }
}
