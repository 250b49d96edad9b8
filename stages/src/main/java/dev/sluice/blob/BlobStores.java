package dev.sluice.blob;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Opens the configured {@link BlobStore}: {@code blob.store=folder} (the default) or {@code s3}.
 * Opening makes no request; a misconfigured S3 store fails on first use with an error naming the
 * setting to change.
 */
public final class BlobStores {
    private static final Logger log = LoggerFactory.getLogger(BlobStores.class);

    private BlobStores() {
    }

    /** The store {@code config} names. */
    public static BlobStore open(BlobStoreConfig config) {
        if (!config.isS3()) {
            return new FolderBlobStore(config.folder());
        }
        URI endpoint = config.s3Endpoint();
        String where = endpoint == null ? "AWS S3 " + config.getString(BlobStoreConfig.S3_REGION_CONFIG) : endpoint.toString();
        S3BlobStore store = new S3BlobStore(s3Client(config), config.getString(BlobStoreConfig.S3_BUCKET_CONFIG),
                config.getString(BlobStoreConfig.S3_PREFIX_CONFIG), where);
        log.info("blob store: {}", store);
        return store;
    }

    /** The store of settings {@code props} (see {@link BlobStoreConfig}); the folder defaults to {@code <dataDir>/blobs}. */
    public static BlobStore open(Map<?, ?> props, Path dataDir) {
        return open(new BlobStoreConfig(props, dataDir));
    }

    /**
     * A synchronous S3 client on the JDK's HTTP client. Checksums are computed and validated only where
     * S3 requires them, as many S3-compatible servers do not accept the SDK's newer trailing checksums.
     */
    static S3Client s3Client(BlobStoreConfig config) {
        var builder = S3Client.builder()
                .httpClientBuilder(UrlConnectionHttpClient.builder()
                        .connectionTimeout(Duration.ofSeconds(10))
                        .socketTimeout(Duration.ofSeconds(60)))
                .region(Region.of(config.getString(BlobStoreConfig.S3_REGION_CONFIG)))
                .forcePathStyle(config.getBoolean(BlobStoreConfig.S3_PATH_STYLE_CONFIG))
                .credentialsProvider(credentials(config))
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .overrideConfiguration(o -> o.apiCallTimeout(Duration.ofMillis(config.getLong(BlobStoreConfig.S3_TIMEOUT_MS_CONFIG))));
        if (config.s3Endpoint() != null) {
            builder.endpointOverride(config.s3Endpoint());
        }
        return builder.build();
    }

    /** The configured keys, else the SDK's default chain (env AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY first). */
    private static AwsCredentialsProvider credentials(BlobStoreConfig config) {
        String accessKey = config.getString(BlobStoreConfig.S3_ACCESS_KEY_CONFIG);
        if (accessKey.isBlank()) {
            return DefaultCredentialsProvider.builder().build();
        }
        return StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, config.s3SecretKey()));
    }
}
