package dev.signalbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Leak detection: a {@link Permit} handle dropped without {@code close()} is found by the garbage
 * collector and reported once, with where it was acquired; its permits come back if so configured.
 * Each test drops handles in a method of its own (so no frame keeps them) and then runs the
 * collector until the report arrives, within the global timeout.
 */
@Tag("unit")
class LeakDetectionTest {

    private final Logger log = Logger.getLogger("dev.signalbox.Semaphore");
    private final List<LogRecord> logged = new CopyOnWriteArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            logged.add(record);
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    };

    private final List<SemaphoreSnapshot.Holder> leaks = new CopyOnWriteArrayList<>();
    private final List<Boolean> reclaimed = new CopyOnWriteArrayList<>();
    private final SemaphoreListener listener = new SemaphoreListener() {
        @Override
        public void onLeak(SemaphoreSnapshot.Holder holder, boolean permitsReturned) {
            leaks.add(holder);
            reclaimed.add(permitsReturned);
        }
    };

    @BeforeEach
    void captureTheLog() {
        log.addHandler(capture);
        log.setUseParentHandlers(false); // the expected leak reports would only clutter the build output
    }

    @AfterEach
    void releaseTheLog() {
        log.removeHandler(capture);
        log.setUseParentHandlers(true);
    }

    @Test
    void aDroppedHandleIsReportedOnceWithItsAcquisitionSiteAndItsPermitsComeBack() throws InterruptedException {
        Semaphore semaphore = Semaphore.builder(2).name("leaky").detectLeaks(1).reclaimLeakedPermits(true)
                .recordAcquisitionSites(true).trackHolders(true).listener(listener).build();
        leakOne(semaphore);
        CompletableFuture<Void> needsBoth = semaphore.acquireAsync(2);

        collectUntil("the leaked permit comes back and the leak is reported", () -> needsBoth.isDone() && !leaks.isEmpty());

        assertThat(leaks).singleElement().satisfies(holder -> {
            assertThat(holder.permits()).isEqualTo(1);
            assertThat(holder.holder()).isEqualTo(Thread.currentThread().getName());
            assertThat(holder.acquiredAt().getFirst().getMethodName()).isEqualTo("leakOne");
        });
        assertThat(reclaimed).containsExactly(true);
        assertThat(semaphore.snapshot().holders()).isEmpty();
        assertThat(logged("semaphore 'leaky'")).singleElement().satisfies(record -> {
            assertThat(record.getLevel()).isEqualTo(Level.WARNING);
            assertThat(record.getMessage())
                    .startsWith("LEAK: a Permit of semaphore 'leaky' holding 1 permit")
                    .contains("its permits were returned")
                    .contains("at " + LeakDetectionTest.class.getName() + ".leakOne(LeakDetectionTest.java:");
        });
        collectAFewTimes();
        assertThat(leaks).hasSize(1);
    }

    @Test
    void withoutReclaimingTheLeakIsReportedAndThePermitsStayLost() throws InterruptedException {
        Semaphore semaphore = Semaphore.builder(2).detectLeaks(1).listener(listener).build();
        leakOne(semaphore);

        collectUntil("the leak is reported", () -> !leaks.isEmpty());

        assertThat(reclaimed).containsExactly(false);
        assertThat(semaphore.availablePermits()).isEqualTo(1);
        assertThat(logged("a semaphore holding")).singleElement().satisfies(record -> assertThat(record.getMessage())
                .startsWith("LEAK: a Permit of a semaphore holding 1 permit")
                .contains("its permits are lost")
                .contains("recordAcquisitionSites(true)"));
    }

    @Test
    void closedHandlesAreNeverReported() throws Exception {
        Semaphore semaphore = Semaphore.builder(1).detectLeaks(1).listener(listener).build();
        for (int i = 0; i < 1_000; i++) {
            semaphore.acquirePermit().close();
        }
        semaphore.withPermit(() -> "closed by withPermit");
        Await.get(semaphore.withPermitAsync(() -> CompletableFuture.completedFuture("closed when done")));
        Semaphore sentinel = Semaphore.builder(1).detectLeaks(1).listener(listener).build();
        leakOne(sentinel);

        collectUntil("the sentinel's leak is reported", () -> !leaks.isEmpty());
        collectAFewTimes();

        assertThat(leaks).hasSize(1);
        assertThat(semaphore.availablePermits()).isEqualTo(1);
    }

    @Test
    void samplingWatchesOnlyAboutOneHandleInTheInterval() throws InterruptedException {
        int handles = 2_000;
        Semaphore semaphore = Semaphore.builder(handles).name("sampled").detectLeaks(10).listener(listener).build();
        for (int i = 0; i < handles; i++) {
            leakOne(semaphore);
        }

        // About 200 are watched (binomial, standard deviation about 13): 100 arrive for sure.
        collectUntil("a hundred leaks are reported", () -> leaks.size() >= 100);
        collectAFewTimes();

        assertThat(leaks.size()).isBetween(100, 400);
    }

    @Test
    void aHandleGrantedToAQueuedRequestIsWatchedToo() throws InterruptedException {
        Semaphore semaphore = Semaphore.builder(0).detectLeaks(1).reclaimLeakedPermits(true).listener(listener).build();
        requestAndDrop(semaphore);
        semaphore.release();

        collectUntil("the granted, dropped handle is reported", () -> !leaks.isEmpty());

        assertThat(semaphore.availablePermits()).isEqualTo(1);
    }

    /**
     * The leak reports about semaphores described so ({@code "semaphore 'name'"}): the cleaner is
     * shared, so reports from other tests' semaphores may arrive while this one runs.
     */
    private List<LogRecord> logged(String semaphore) {
        return logged.stream().filter(r -> r.getMessage().startsWith("LEAK: a Permit of " + semaphore)).toList();
    }

    /** Takes a handle and drops it: after this returns, nothing references it. */
    static void leakOne(Semaphore semaphore) throws InterruptedException {
        semaphore.acquirePermit();
    }

    /** Queues a request for a handle and drops the future. */
    private static void requestAndDrop(Semaphore semaphore) {
        semaphore.acquirePermitAsync();
    }

    /** Runs the collector until {@code condition} holds (a leak report comes after a collection). */
    static void collectUntil(String what, BooleanSupplier condition) {
        Await.until(what, () -> {
            System.gc();
            return condition.getAsBoolean();
        });
    }

    /** A few more collections, so that a second report, if there were one, would have had its chance. */
    private static void collectAFewTimes() {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.yield();
        }
    }
}
