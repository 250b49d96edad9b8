package dev.sluice.blob;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What {@link BlobGc} must do on any {@link BlobStore}: subclasses give the store. The documents
 * that are "stored" are a set here, as the sink's table is in production.
 */
abstract class BlobGcContract {
    private static final Duration RETENTION = Duration.ofDays(7);
    private static final Clock AFTER_RETENTION = Clock.offset(Clock.systemUTC(), RETENTION.plusMinutes(1));
    private static final Clock WITHIN_RETENTION = Clock.offset(Clock.systemUTC(), RETENTION.minusMinutes(1));

    private final Set<String> storedDocuments = new HashSet<>();
    private BlobStore store;
    private String storedPdf;
    private String pendingPdf;

    /** A fresh, empty store. */
    abstract BlobStore newStore() throws Exception;

    @BeforeEach
    void putTwoPdfsOneOfThemStored() throws Exception {
        store = newStore();
        storedPdf = store.put("%PDF-1.7 stored".getBytes(StandardCharsets.UTF_8));
        pendingPdf = store.put("%PDF-1.7 still on its way".getBytes(StandardCharsets.UTF_8));
        storedDocuments.add(storedPdf);
    }

    @AfterEach
    void closeStore() throws Exception {
        store.close();
    }

    private BlobGc gc(Clock clock) {
        return new BlobGc(store, refs -> refs.stream().filter(storedDocuments::contains).collect(Collectors.toSet()),
                RETENTION, clock);
    }

    private Set<String> refs() throws Exception {
        try (Stream<BlobStore.Blob> blobs = store.list()) {
            return blobs.map(BlobStore.Blob::ref).collect(Collectors.toSet());
        }
    }

    @Test
    void shouldDeleteTheBlobOfAStoredDocumentOlderThanTheRetention() throws Exception {
        BlobGc.Result r = gc(AFTER_RETENTION).run(false);
        assertThat(store.exists(storedPdf)).isFalse();
        assertThat(r.deleted()).isEqualTo(1);
        assertThat(r.deletedBytes()).isEqualTo("%PDF-1.7 stored".length());
    }

    @Test
    void shouldKeepTheOldBlobOfADocumentNotStored() throws Exception {
        BlobGc.Result r = gc(AFTER_RETENTION).run(false);
        assertThat(store.exists(pendingPdf)).isTrue();
        assertThat(refs()).containsExactly(pendingPdf);
        assertThat(r.notStored()).isEqualTo(1);
    }

    @Test
    void shouldKeepBlobsPutWithinTheRetentionEvenWhenTheirDocumentIsStored() throws Exception {
        BlobGc.Result r = gc(WITHIN_RETENTION).run(false);
        assertThat(refs()).containsExactlyInAnyOrder(storedPdf, pendingPdf);
        assertThat(r.young()).isEqualTo(2);
        assertThat(r.deleted()).isZero();
    }

    @Test
    void shouldDeleteNothingOnADryRunButCountWhatItWouldDelete() throws Exception {
        BlobGc.Result r = gc(AFTER_RETENTION).run(true);
        assertThat(refs()).containsExactlyInAnyOrder(storedPdf, pendingPdf);
        assertThat(r.dryRun()).isTrue();
        assertThat(r.deleted()).isEqualTo(1);
        assertThat(r.toString()).startsWith("would delete 1 of 2 blobs");
    }

    @Test
    void shouldCollectMoreBlobsThanOneBatchOfQuestions() throws Exception {
        List<String> many = new java.util.ArrayList<>();
        for (int i = 0; i < 520; i++) {
            many.add(store.put(("pdf " + i).getBytes(StandardCharsets.UTF_8)));
        }
        storedDocuments.addAll(many.subList(0, 510));
        BlobGc.Result r = gc(AFTER_RETENTION).run(false);
        assertThat(r.listed()).isEqualTo(522);
        assertThat(r.deleted()).isEqualTo(511);
        assertThat(refs()).hasSize(11).contains(pendingPdf).containsAll(many.subList(510, 520));
    }
}
