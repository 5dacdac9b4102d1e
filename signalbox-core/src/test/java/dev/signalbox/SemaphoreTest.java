package dev.signalbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@link Semaphore}: the shared rules of {@link InProcessSemaphoreRules}, and what only the unbounded kind does. */
@Tag("unit")
class SemaphoreTest extends InProcessSemaphoreRules {

    @Override
    Semaphore newSemaphore(int permits) {
        return Semaphore.of(permits);
    }

    @Nested
    class Unbounded {

        @Test
        void releaseMayRaiseTheCountAboveTheInitialValue() {
            Semaphore semaphore = Semaphore.of(0);
            semaphore.release();
            semaphore.release(5);
            assertState(semaphore, 6, 0);
            assertThat(semaphore.tryAcquire(6)).isTrue();
        }

        @Test
        void releasePastIntegerMaxValueIsAnErrorAndChangesNothing() {
            Semaphore full = Semaphore.of(Integer.MAX_VALUE);
            assertThatThrownBy(full::release)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("overflow");
            Semaphore almost = Semaphore.of(Integer.MAX_VALUE - 1);
            assertThatThrownBy(() -> almost.release(2)).isInstanceOf(IllegalStateException.class);
            Semaphore one = Semaphore.of(1);
            assertThatThrownBy(() -> one.release(Integer.MAX_VALUE)).isInstanceOf(IllegalStateException.class);

            assertState(full, Integer.MAX_VALUE, 0);
            assertState(almost, Integer.MAX_VALUE - 1, 0);
            assertState(one, 1, 0);
        }

        @Test
        void anOverflowingReleaseWithWaitersChangesNothingEither() {
            Semaphore semaphore = Semaphore.of(Integer.MAX_VALUE - 1);
            CompletableFuture<Void> waiter = semaphore.acquireAsync(Integer.MAX_VALUE);
            assertState(semaphore, Integer.MAX_VALUE - 1, 1);

            assertThatThrownBy(() -> semaphore.release(2)).isInstanceOf(IllegalStateException.class);

            assertThat(waiter).isNotDone();
            assertState(semaphore, Integer.MAX_VALUE - 1, 1);
            semaphore.release();
            assertThat(waiter).isCompleted();
            assertState(semaphore, 0, 0);
        }

        @Test
        void theLargestRequestIsAllowedAndWaits() {
            Semaphore semaphore = Semaphore.of(0);
            CompletableFuture<Void> all = semaphore.acquireAsync(Integer.MAX_VALUE);
            semaphore.release(Integer.MAX_VALUE);
            assertThat(all).isCompleted();
            assertState(semaphore, 0, 0);
        }
    }

    @Nested
    class LongCallbackChains {

        @Test
        void aMillionChainedWaitersEachReleasingInItsCallbackCompleteWithoutStackOverflow() {
            int waiters = 1_000_000;
            Semaphore semaphore = Semaphore.of(0);
            AtomicInteger ran = new AtomicInteger();
            CompletableFuture<?> last = null;
            for (int i = 0; i < waiters; i++) {
                // Each callback releases, which grants the next waiter: naive delivery would recurse a million deep.
                last = semaphore.acquireAsync().thenRun(() -> {
                    ran.incrementAndGet();
                    semaphore.release();
                });
            }
            assertState(semaphore, 0, waiters);

            semaphore.release();

            // A StackOverflowError inside a callback would complete its stage exceptionally, not throw here.
            Await.get(last);
            assertThat(ran).hasValue(waiters);
            assertState(semaphore, 1, 0);
        }

        @Test
        void aMillionPermitHandlesClosedInTheirCallbacksCompleteWithoutStackOverflow() {
            int waiters = 1_000_000;
            Semaphore semaphore = Semaphore.of(0);
            CompletableFuture<?> last = null;
            for (int i = 0; i < waiters; i++) {
                last = semaphore.acquirePermitAsync().thenAccept(Permit::close);
            }
            semaphore.release();
            Await.get(last);
            assertState(semaphore, 1, 0);
        }
    }

    @Nested
    class VirtualThreads {

        @Test
        void aHundredThousandVirtualThreadsPassASemaphoreOfAHundredWithAtMostAHundredInside() {
            int threads = 100_000;
            int permits = 100;
            Semaphore semaphore = Semaphore.of(permits);
            AtomicInteger inside = new AtomicInteger();
            AtomicInteger mostInside = new AtomicInteger();
            AtomicInteger passed = new AtomicInteger();
            try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
                for (int i = 0; i < threads; i++) {
                    executor.submit(() -> {
                        semaphore.acquire();
                        try {
                            mostInside.accumulateAndGet(inside.incrementAndGet(), Math::max);
                            // Let others run while holding, so that the holders pile up to the limit.
                            Thread.yield();
                            inside.decrementAndGet();
                        } finally {
                            semaphore.release();
                        }
                        passed.incrementAndGet();
                        return null;
                    });
                }
            }
            assertThat(passed).hasValue(threads);
            assertThat(mostInside.get()).isBetween(1, permits);
            assertState(semaphore, permits, 0);
        }

        @Test
        void blockedAcquireDoesNotPinTheCarrier(@TempDir Path dir) throws Exception {
            int waiters = 50;
            Semaphore semaphore = Semaphore.of(1);
            List<RecordedEvent> pinned;
            try (Recording recording = new Recording()) {
                recording.enable("jdk.VirtualThreadPinned").withThreshold(Duration.ZERO).withStackTrace();
                recording.start();

                semaphore.acquire();
                List<Thread> threads = new ArrayList<>();
                for (int i = 0; i < waiters; i++) {
                    threads.add(Thread.ofVirtual().start(() -> {
                        try {
                            semaphore.acquire();
                            semaphore.release();
                        } catch (InterruptedException e) {
                            throw new AssertionError(e);
                        }
                    }));
                }
                Await.queueLength(semaphore, waiters);
                semaphore.release();
                threads.forEach(Await::join);

                // The control: a virtual thread that parks inside a class initializer is pinned
                // (JDK 21 and 25 alike), so the recording must see this one, or it sees nothing.
                Thread control = Thread.ofVirtual().start(PinnedInClassInitializer::touch);
                Await.until("the control parks in the initializer", () -> control.getState() == Thread.State.WAITING);
                controlMayLeaveTheInitializer = true;
                java.util.concurrent.locks.LockSupport.unpark(control);
                Await.join(control);

                recording.stop();
                Path file = dir.resolve("pinning.jfr");
                recording.dump(file);
                pinned = RecordingFile.readAllEvents(file);
            }
            assertState(semaphore, 1, 0);
            assertThat(pinned).as("pinned events (the control's expected)")
                    .anySatisfy(event -> assertThat(event.getStackTrace().getFrames())
                            .anySatisfy(frame -> assertThat(frame.getMethod().getType().getName())
                                    .contains("PinnedInClassInitializer")));
            assertThat(pinned).as("pinned events outside the control")
                    .allSatisfy(event -> assertThat(event.getStackTrace().getFrames())
                            .anySatisfy(frame -> assertThat(frame.getMethod().getType().getName())
                                    .contains("PinnedInClassInitializer")));
        }

        @Test
        @Tag("process")
        @Timeout(60)
        void blockedVirtualThreadsLeaveTheOnlyCarrierFreeForTheOneThatReleases() throws Exception {
            assertThat(runPinningProbe("park", Duration.ofSeconds(20)))
                    .as("probe exit code: 0 = every waiter got through on one carrier").isZero();
        }

        @Test
        @Tag("process")
        @Timeout(60)
        void theOneCarrierProbeDetectsAWaiterThatKeepsItsCarrier() throws Exception {
            // The same probe with waiters that spin on tryAcquire instead of parking must get stuck,
            // or the probe above could not fail.
            assertThat(runPinningProbe("spin", Duration.ofSeconds(1)))
                    .as("probe exit code: %d = no progress", PinningProbe.STUCK).isEqualTo(PinningProbe.STUCK);
        }

        private int runPinningProbe(String mode, Duration limit) throws Exception {
            String java = ProcessHandle.current().info().command().orElseThrow();
            Process process = new ProcessBuilder(java,
                    "-Djdk.virtualThreadScheduler.parallelism=1",
                    "-Djdk.virtualThreadScheduler.maxPoolSize=1",
                    "-cp", System.getProperty("java.class.path"),
                    PinningProbe.class.getName(), mode, Long.toString(limit.toMillis()))
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            try {
                if (!process.waitFor(Await.TIMEOUT.plus(limit).toMillis(), TimeUnit.MILLISECONDS)) {
                    throw new AssertionError("the probe did not exit by itself");
                }
                return process.exitValue();
            } finally {
                process.destroyForcibly();
            }
        }
    }

    /** Outside the class below: touching that class from the test would wait for its initializer. */
    static volatile boolean controlMayLeaveTheInitializer;

    /** Parks the initializing virtual thread: the one situation in which JDK 25 still pins it. */
    static final class PinnedInClassInitializer {
        static {
            while (!controlMayLeaveTheInitializer) {
                java.util.concurrent.locks.LockSupport.park();
            }
        }

        static void touch() {}
    }

    @Nested
    class ToString {

        @Test
        void showsPermitsAndWaiters() {
            Semaphore semaphore = Semaphore.of(1);
            assertThat(semaphore).hasToString("Semaphore[permits=1, waiters=0]");
            assertThat(semaphore.tryAcquire()).isTrue();
            CompletableFuture<Void> first = semaphore.acquireAsync();
            CompletableFuture<Void> second = semaphore.acquireAsync();
            assertThat(semaphore).hasToString("Semaphore[permits=0, waiters=2]");
            first.cancel(false);
            second.cancel(false);
            assertThat(semaphore).hasToString("Semaphore[permits=0, waiters=0]");
        }
    }
}
