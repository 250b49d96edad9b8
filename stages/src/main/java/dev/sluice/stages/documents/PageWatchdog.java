package dev.sluice.stages.documents;

import dev.sluice.stage.PermanentStageException;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one step of reading a page (text extraction, image extraction, rendering) on a worker
 * thread and waits at most its time limit. PDFBox cannot be interrupted, so a step past its limit
 * is abandoned: the page fails with {@link PageTimeoutException}
 * ({@code page 3: text extraction exceeded 30 s (pages.text.timeout.ms)}), the worker thread is
 * left to finish on its own (a daemon, it holds nothing the next page uses), and the next step
 * gets a new worker. The caller must then stop using the document the abandoned step was reading
 * (PDFBox documents are not thread-safe): {@link PagesStage} closes and reopens it. Not
 * thread-safe: one per {@link PageReader}.
 */
final class PageWatchdog implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(PageWatchdog.class);
    private static final AtomicInteger THREADS = new AtomicInteger();

    /** A step of a page ran past its time limit; the document it was reading must be discarded. */
    static final class PageTimeoutException extends PermanentStageException {
        private static final long serialVersionUID = 1L;

        PageTimeoutException(String message) {
            super(message);
        }
    }

    /** A step of reading a page. */
    interface Step<T> {
        T run() throws IOException, PermanentStageException;
    }

    private ExecutorService worker;

    /**
     * Runs {@code step} of page {@code number}, named {@code what} in the failure, within
     * {@code limit}, which {@code configKey} sets.
     */
    <T> T run(int number, String what, Duration limit, String configKey, Step<T> step)
            throws IOException, PermanentStageException, InterruptedException {
        Future<T> f = worker().submit((Callable<T>) step::run);
        try {
            return f.get(limit.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            abandon(f);
            log.warn("page {}: abandoned {} after {} ms; its thread finishes on its own", number, what, limit.toMillis());
            throw new PageTimeoutException("page " + number + ": " + what + " exceeded " + duration(limit) + " (" + configKey + ")");
        } catch (InterruptedException e) {
            abandon(f);
            throw e;
        } catch (ExecutionException e) {
            throw rethrow(e.getCause());
        }
    }

    private static IOException rethrow(Throwable cause) throws PermanentStageException, IOException {
        if (cause instanceof PermanentStageException p) {
            throw p;
        }
        if (cause instanceof IOException io) {
            throw io;
        }
        if (cause instanceof RuntimeException r) {
            throw r;
        }
        if (cause instanceof Error err) {
            throw err;
        }
        return new IOException(cause);
    }

    private ExecutorService worker() {
        if (worker == null) {
            worker = Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "sluice-page-worker-" + THREADS.incrementAndGet());
                t.setDaemon(true);
                return t;
            });
        }
        return worker;
    }

    private void abandon(Future<?> f) {
        f.cancel(true);
        worker.shutdownNow();
        worker = null;
    }

    static String duration(Duration d) {
        long ms = d.toMillis();
        return ms % 1000 == 0 ? ms / 1000 + " s" : ms + " ms";
    }

    @Override
    public void close() {
        if (worker != null) {
            worker.shutdownNow();
            worker = null;
        }
    }
}
