package dev.sluice.blob;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Garbage collection of a {@link BlobStore}: deletes the blobs whose document is stored and that
 * were last put longer ago than the retention. Everything else stays: blobs of documents still on
 * their way (or dead-lettered), image blobs (no document has them as its PDF), and any blob put
 * within the retention, so a replay of the documents path within it still finds its PDF. Putting
 * the same bytes again makes a blob young again. Several collectors may run at once.
 *
 * <p>What "stored" means is asked of a {@link StoredDocuments}, which the sink implements: the blob
 * package knows nothing of the database. A blob put again between the listing and its deletion can
 * still be lost (the stores have no conditional delete); the retention makes that a replay of a
 * document stored long ago that lands in a window of milliseconds.
 */
public final class BlobGc {
    private static final Logger log = LoggerFactory.getLogger(BlobGc.class);
    private static final int BATCH = 500;

    /** Which blobs are the PDFs of stored documents. */
    @FunctionalInterface
    public interface StoredDocuments {
        /** Those of {@code refs} that are the blob of a stored document. */
        Set<String> stored(Collection<String> refs) throws Exception;
    }

    /**
     * What one pass did.
     *
     * @param listed       blobs in the store
     * @param deleted      blobs deleted (or that would be, on a dry run)
     * @param deletedBytes their bytes
     * @param young        blobs kept as put within the retention
     * @param notStored    blobs kept as older but of no stored document
     * @param dryRun       whether nothing was deleted
     */
    public record Result(long listed, long deleted, long deletedBytes, long young, long notStored, boolean dryRun) {
        @Override
        public String toString() {
            return (dryRun ? "would delete " : "deleted ") + deleted + " of " + listed + " blobs (" + deletedBytes
                    + " bytes); kept " + young + " put within the retention and " + notStored + " of no stored document";
        }
    }

    private final BlobStore store;
    private final StoredDocuments stored;
    private final Duration retention;
    private final Clock clock;

    public BlobGc(BlobStore store, StoredDocuments stored, Duration retention, Clock clock) {
        this.store = Objects.requireNonNull(store);
        this.stored = Objects.requireNonNull(stored);
        this.retention = Objects.requireNonNull(retention);
        this.clock = Objects.requireNonNull(clock);
    }

    /** One pass over the store; with {@code dryRun} it only counts. */
    public Result run(boolean dryRun) throws Exception {
        Instant cutoff = clock.instant().minus(retention);
        Tally t = new Tally();
        List<BlobStore.Blob> old = new ArrayList<>(BATCH);
        try (Stream<BlobStore.Blob> blobs = store.list()) {
            for (Iterator<BlobStore.Blob> it = blobs.iterator(); it.hasNext(); ) {
                BlobStore.Blob b = it.next();
                t.listed++;
                if (!b.lastModified().isBefore(cutoff)) {
                    t.young++;
                } else if (old.add(b) && old.size() == BATCH) {
                    collect(old, dryRun, t);
                }
            }
        }
        collect(old, dryRun, t);
        Result r = new Result(t.listed, t.deleted, t.deletedBytes, t.young, t.notStored, dryRun);
        log.info("blob gc of {} (retention {}): {}", store, retention, r);
        return r;
    }

    /** Deletes the stored documents' blobs among {@code old}, then empties it. */
    private void collect(List<BlobStore.Blob> old, boolean dryRun, Tally t) throws Exception {
        if (old.isEmpty()) {
            return;
        }
        Set<String> done = stored.stored(old.stream().map(BlobStore.Blob::ref).toList());
        for (BlobStore.Blob b : old) {
            if (!done.contains(b.ref())) {
                t.notStored++;
            } else if (dryRun || store.delete(b.ref())) {
                t.deleted++;
                t.deletedBytes += b.size();
                log.debug("{} blob {} ({} bytes, put {})", dryRun ? "would delete" : "deleted", b.ref(), b.size(), b.lastModified());
            }
        }
        old.clear();
    }

    private static final class Tally {
        long listed;
        long deleted;
        long deletedBytes;
        long young;
        long notStored;
    }
}
