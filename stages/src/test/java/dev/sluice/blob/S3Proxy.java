package dev.sluice.blob;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A real S3-compatible server for tests: S3Proxy 2.7 on its filesystem backend, run as a child JVM
 * from its self-contained jar (copied to {@code target/s3proxy} by the build), on 127.0.0.1 only,
 * with AWS signature checking. One server per test JVM, stopped when the JVM exits; each test takes
 * a bucket of its own.
 */
public final class S3Proxy {
    public static final String ACCESS_KEY = "sluice-test";
    public static final String SECRET_KEY = "sluice-test-secret";
    private static final AtomicInteger BUCKETS = new AtomicInteger();
    private static S3Proxy shared;

    private final Process process;
    private final Path data;
    private final String endpoint;

    private S3Proxy(Process process, Path data, String endpoint) {
        this.process = process;
        this.data = data;
        this.endpoint = endpoint;
    }

    /** The JVM's server, started on first use under {@code target/s3proxy-data}. */
    public static synchronized S3Proxy shared() throws Exception {
        if (shared == null) {
            shared = start(Path.of("target", "s3proxy-data").toAbsolutePath());
        }
        return shared;
    }

    private static S3Proxy start(Path dir) throws Exception {
        Path jar = Path.of(System.getProperty("sluice.s3proxy.jar", "target/s3proxy/s3proxy.jar")).toAbsolutePath();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: build the stages module (mvn -pl stages verify) first");
        }
        deleteRecursively(dir);
        Path data = Files.createDirectories(dir.resolve("data"));
        int port = freePort();
        String endpoint = "http://127.0.0.1:" + port;
        Properties p = new Properties();
        p.putAll(Map.of("s3proxy.authorization", "aws-v2-or-v4", "s3proxy.identity", ACCESS_KEY, "s3proxy.credential", SECRET_KEY,
                "s3proxy.endpoint", endpoint, "jclouds.provider", "filesystem-nio2", "jclouds.filesystem.basedir", data.toString(),
                "jclouds.identity", "local", "jclouds.credential", "local"));
        Path conf = dir.resolve("s3proxy.conf");
        try (OutputStream out = Files.newOutputStream(conf)) {
            p.store(out, "S3Proxy of the blob store tests");
        }
        Path log = dir.resolve("s3proxy.log");
        Process process = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-jar", jar.toString(), "--properties", conf.toString()))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly, "s3proxy-stop"));
        awaitPort(process, port, log);
        return new S3Proxy(process, data, endpoint);
    }

    /** The settings of an S3 blob store on a new, empty bucket of this server. */
    public Map<String, String> newBucket() throws IOException {
        String bucket = "blobs-" + ProcessHandle.current().pid() + "-" + BUCKETS.incrementAndGet();
        Map<String, String> settings = Map.of(BlobStoreConfig.STORE_CONFIG, BlobStoreConfig.S3,
                BlobStoreConfig.S3_ENDPOINT_CONFIG, endpoint, BlobStoreConfig.S3_BUCKET_CONFIG, bucket,
                BlobStoreConfig.S3_PATH_STYLE_CONFIG, "true",
                BlobStoreConfig.S3_ACCESS_KEY_CONFIG, ACCESS_KEY, BlobStoreConfig.S3_SECRET_KEY_CONFIG, SECRET_KEY);
        try (S3Client s3 = BlobStores.s3Client(new BlobStoreConfig(settings, data))) {
            s3.createBucket(b -> b.bucket(bucket));
        }
        return settings;
    }

    /** Where the server keeps {@code key} of {@code bucket} on disk. */
    public Path file(String bucket, String key) {
        return data.resolve(bucket).resolve(key);
    }

    public String endpoint() {
        return endpoint;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    private static void awaitPort(Process process, int port, Path log) throws Exception {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("S3Proxy exited with " + process.exitValue() + ":\n" + tail(log));
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException e) {
                Thread.sleep(100);
            }
        }
        process.destroyForcibly();
        throw new IllegalStateException("S3Proxy did not listen on 127.0.0.1:" + port + " within 60 s:\n" + tail(log));
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static String tail(Path log) throws IOException {
        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (var paths = Files.walk(dir)) {
                for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }
}
