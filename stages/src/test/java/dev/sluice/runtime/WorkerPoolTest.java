package dev.sluice.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class WorkerPoolTest {

    @Test
    void shouldReportStoppedWhenInterruptedWorkersFinish() throws Exception {
        WorkerPool pool = new WorkerPool("t", 2, Duration.ofSeconds(5));
        CountDownLatch running = new CountDownLatch(1);
        pool.submit(() -> {
            running.countDown();
            Thread.sleep(60_000); // a blocking call that answers interrupts, as HTTP and JDBC do
            return null;
        });
        running.await(5, TimeUnit.SECONDS);

        assertThat(pool.stop()).isTrue();
    }

    @Test
    void shouldReportStillRunningWhenAWorkerIgnoresTheInterruptAsNativeOcrDoes() throws Exception {
        WorkerPool pool = new WorkerPool("t", 1, Duration.ofMillis(200));
        AtomicBoolean release = new AtomicBoolean();
        CountDownLatch running = new CountDownLatch(1);
        pool.submit(() -> {
            running.countDown();
            while (!release.get()) {
                Thread.onSpinWait(); // deaf to interrupts, like a thread inside Tesseract
            }
            return null;
        });
        running.await(5, TimeUnit.SECONDS);
        long t0 = System.nanoTime();

        boolean stopped = pool.stop();

        assertThat(stopped).as("a worker is still inside the stage: closing it now would free what it uses").isFalse();
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(2));
        release.set(true);
    }
}
