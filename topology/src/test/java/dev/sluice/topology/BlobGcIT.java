package dev.sluice.topology;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.blob.BlobStore;
import dev.sluice.blob.BlobStoreConfig;
import dev.sluice.blob.FolderBlobStore;
import dev.sluice.runtime.RunningStage;
import dev.sluice.sinks.postgres.BlobGcTask;
import dev.sluice.sinks.postgres.DocumentsWriter;
import dev.sluice.sinks.postgres.StoredDocumentBlobs;
import dev.sluice.topology.cli.SluiceCli;
import dev.sluice.topology.embedded.EmbeddedPostgres;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Blob garbage collection against a real PostgreSQL holding the store-documents sink's table: the
 * {@code sluice blobs gc} command and the periodic pass beside the sink, on the folder store (the S3
 * store's collection is BlobGcContract's, in the stages module).
 */
class BlobGcIT {
    private static EmbeddedPostgres postgres;
    private static int databases;

    @TempDir
    Path data;
    private String jdbcUrl;
    private FolderBlobStore blobs;
    private String storedOld;
    private String pendingOld;
    private String imageOld;
    private String storedYoung;

    @BeforeAll
    static void startPostgres() throws Exception {
        postgres = EmbeddedPostgres.start(Path.of("target", "it", "blob-gc", "pg").toAbsolutePath());
    }

    @AfterAll
    static void stopPostgres() {
        postgres.close();
    }

    /** Four blobs: an old PDF of a stored document, an old PDF still on its way, an old image, a young stored PDF. */
    @BeforeEach
    void storeDocumentsAndBlobs() throws Exception {
        jdbcUrl = newDatabase();
        blobs = FolderBlobStore.underDataDir(data);
        storedOld = blobs.put(bytes("%PDF stored long ago"));
        pendingOld = blobs.put(bytes("%PDF not stored yet"));
        imageOld = blobs.put(bytes("PNG image of the stored document"));
        storedYoung = blobs.put(bytes("%PDF stored just now"));
        for (String ref : List.of(storedOld, pendingOld, imageOld)) {
            Files.setLastModifiedTime(blobs.path(ref), FileTime.from(Instant.now().minus(Duration.ofDays(8))));
        }
        try (Connection db = DriverManager.getConnection(jdbcUrl)) {
            new DocumentsWriter().createSchema(db);
            insertDocument(db, storedOld, imageOld);
            insertDocument(db, storedYoung, imageOld);
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String newDatabase() throws Exception {
        String name = "blob_gc_" + (++databases);
        try (Connection c = DriverManager.getConnection(postgres.jdbcUrl()); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + name);
            s.execute("CREATE DATABASE " + name);
        }
        return postgres.jdbcUrl().replace("/sluice?", "/" + name + "?");
    }

    private static void insertDocument(Connection db, String blob, String image) throws Exception {
        try (PreparedStatement ps = db.prepareStatement("INSERT INTO documents (doc_id, sha256, blob, source, size_bytes,"
                + " page_count, metadata, status, missing_pages, text, pages, images, timings, doc, assembled_at)"
                + " VALUES (?, ?, ?, 'it', 1, 1, '{}', 'DONE', '{}', '', '[]', ?::jsonb, '{}', '{}', now())")) {
            ps.setString(1, BlobStore.digestOf(blob));
            ps.setString(2, BlobStore.digestOf(blob));
            ps.setString(3, blob);
            ps.setString(4, "[{\"blob\": \"" + image + "\", \"page\": 1}]");
            ps.executeUpdate();
        }
    }

    private String gc(String... extra) {
        List<String> args = new java.util.ArrayList<>(List.of("blobs", "gc", "--data-dir", data.toString(), "--db-url", jdbcUrl));
        args.addAll(List.of(extra));
        PrintStream original = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            assertThat(SluiceCli.execute(args.toArray(String[]::new))).isZero();
        } finally {
            System.setOut(original);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void shouldDeleteOnlyTheOldBlobOfAStoredDocument() {
        assertThat(gc()).contains("deleted 1 of 4 blobs").contains("kept 1 put within the retention and 2 of no stored document");
        assertThat(blobs.exists(storedOld)).isFalse();
        assertThat(List.of(pendingOld, imageOld, storedYoung)).allMatch(blobs::exists);
    }

    @Test
    void shouldDeleteNothingOnADryRun() {
        assertThat(gc("--dry-run")).contains("would delete 1 of 4 blobs");
        assertThat(List.of(storedOld, pendingOld, imageOld, storedYoung)).allMatch(blobs::exists);
    }

    @Test
    void shouldKeepEverythingWithinALongerRetention() {
        assertThat(gc("--set", BlobStoreConfig.GC_RETENTION_MS_CONFIG + "=" + Duration.ofDays(30).toMillis()))
                .contains("deleted 0 of 4 blobs");
        assertThat(blobs.exists(storedOld)).isTrue();
    }

    @Test
    void shouldSayNoDocumentIsStoredBeforeTheSinkMadeItsTable() throws Exception {
        assertThat(new StoredDocumentBlobs(newDatabase()).stored(List.of(storedOld))).isEmpty();
        assertThat(new StoredDocumentBlobs(jdbcUrl).stored(List.of(storedOld, pendingOld, imageOld))).containsExactly(storedOld);
    }

    @Test
    void shouldCollectPeriodicallyBesideTheStoreDocumentsSinkAndStopWithIt() throws Exception {
        BlobStoreConfig config = new BlobStoreConfig(Map.of(BlobStoreConfig.GC_INTERVAL_MS_CONFIG, "200"), data);
        Sink sink = new Sink();
        BlobGcTask task = new BlobGcTask(sink, config, jdbcUrl, Clock.systemUTC());
        task.start(t -> { });
        try {
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (blobs.exists(storedOld) && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertThat(blobs.exists(storedOld)).isFalse();
            assertThat(List.of(pendingOld, imageOld, storedYoung)).allMatch(blobs::exists);
            assertThat(sink.started).isTrue();
        } finally {
            task.close();
        }
        assertThat(sink.closed).isTrue();
        assertThat(task.name()).isEqualTo("store-documents");
    }

    /** A stand-in for the sink's consumer loop, which this test does not need. */
    private static final class Sink implements RunningStage {
        final AtomicBoolean started = new AtomicBoolean();
        final AtomicBoolean closed = new AtomicBoolean();

        @Override
        public String name() {
            return "store-documents";
        }

        @Override
        public String groupId() {
            return "sluice-store-documents";
        }

        @Override
        public List<String> inputTopics() {
            return List.of("sluice.documents.assembled");
        }

        @Override
        public void start(Consumer<Throwable> onFatal) {
            started.set(true);
        }

        @Override
        public void close() {
            closed.set(true);
        }
    }
}
