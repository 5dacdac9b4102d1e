package dev.signalbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeoutException;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import dev.signalbox.SemaphoreListener.Outcome;

/** Observing a semaphore: outcome totals, holders of permit handles, and listeners. */
@Tag("unit")
class SemaphoreObservingTest {

    @Nested
    class Totals {

        @Test
        void countEveryWayAnAcquireEnds() throws InterruptedException {
            Semaphore semaphore = Semaphore.builder(1).maxWaiters(1).recordTotals(true).build();
            semaphore.acquire();                                          // granted at once
            CompletableFuture<Void> cancelled = semaphore.acquireAsync();
            assertThat(Await.failure(semaphore.acquireAsync()))         // rejected: the queue is full
                    .isInstanceOf(TooManyWaitersException.class);
            cancelled.cancel(false);                                      // cancelled
            semaphore.acquireAsync().orTimeout(1, java.util.concurrent.TimeUnit.NANOSECONDS);
            Await.queueLength(semaphore, 0);                            // timed out (orTimeout)
            assertThat(semaphore.tryAcquire(Duration.ofNanos(1))).isFalse(); // timed out
            Thread.currentThread().interrupt();
            assertThatThrownBy(semaphore::acquire).isInstanceOf(InterruptedException.class); // not even queued
            AcquireMethod.Attempt interrupted = AcquireMethod.ACQUIRE.queue(semaphore, 1, 1);
            interrupted.giveUp();
            assertThat(interrupted.awaitWithdrawn()).isInstanceOf(InterruptedException.class);
            CompletableFuture<Void> waiting = semaphore.acquireAsync();
            semaphore.release();                                          // granted after waiting
            assertThat(waiting).isDone();
            assertThat(semaphore.tryAcquire()).isFalse();                 // no permit: not an outcome

            assertThat(semaphore.snapshot().totals()).contains(new SemaphoreSnapshot.Totals(2, 1, 2, 1, 1));
        }

        @Test
        void areEmptyUnlessRecorded() {
            Semaphore semaphore = Semaphore.builder(1).trackHolders(true).build();

            assertThat(semaphore.snapshot().totals()).isEmpty();
        }
    }

    @Nested
    class Holders {

        @Test
        void listEveryOpenHandleOldestFirstWithItsThreadAndPermits() throws Exception {
            Semaphore semaphore = Semaphore.builder(5).trackHolders(true).build();
            Instant before = Instant.now();
            Permit first = semaphore.acquirePermit(2);
            Permit second = onThread("worker-7", () -> semaphore.acquirePermit(1));

            List<SemaphoreSnapshot.Holder> holders = semaphore.snapshot().holders();

            assertThat(holders).extracting(SemaphoreSnapshot.Holder::holder)
                    .containsExactly(Thread.currentThread().getName(), "worker-7");
            assertThat(holders).extracting(SemaphoreSnapshot.Holder::permits).containsExactly(2, 1);
            assertThat(holders).allSatisfy(h -> {
                // Derived from System.nanoTime (cheaper than the wall clock per handle): exact to well within 1 ms.
                assertThat(h.since()).isBetween(before.minusMillis(1), Instant.now().plusMillis(1));
                assertThat(h.acquiredAt()).isEmpty();
            });
            first.close();
            assertThat(semaphore.snapshot().holders()).extracting(SemaphoreSnapshot.Holder::holder)
                    .containsExactly("worker-7");
            second.close();
            assertThat(semaphore.snapshot().holders()).isEmpty();
        }

        @Test
        void aQueuedAsyncHandleBelongsToTheThreadThatAskedNotTheOneThatReleased() throws Exception {
            Semaphore semaphore = Semaphore.builder(0).trackHolders(true).recordAcquisitionSites(true).build();
            CompletableFuture<Permit> handle = onThread("asker", semaphore::acquirePermitAsync);

            onThread("releaser", () -> {
                semaphore.release();
                return null;
            });

            SemaphoreSnapshot.Holder holder = semaphore.snapshot().holders().getFirst();
            assertThat(holder.holder()).isEqualTo("asker");
            assertThat(holder.acquiredAt()).isNotEmpty();
            // The site is the asker's stack (its thread's lambda), not the releaser's.
            assertThat(holder.acquiredAt().getFirst().getMethodName()).startsWith("lambda$onThread");
            assertThat(holder.acquiredAt()).noneMatch(frame -> frame.getMethodName().contains("release"));
            Await.get(handle).close();
        }

        @Test
        void acquisitionSitesStartAtTheCallerOfTheSemaphore() throws InterruptedException {
            Semaphore semaphore = Semaphore.builder(1).trackHolders(true).recordAcquisitionSites(true).build();

            try (Permit permit = semaphore.acquirePermit()) {
                assertThat(semaphore.snapshot().holders()).singleElement()
                        .satisfies(h -> assertThat(h.permits()).isEqualTo(permit.permits()));
                List<StackTraceElement> site = semaphore.snapshot().holders().getFirst().acquiredAt();
                assertThat(site.getFirst().getMethodName()).isEqualTo("acquisitionSitesStartAtTheCallerOfTheSemaphore");
                assertThat(site).noneMatch(frame -> frame.getClassName().startsWith("dev.signalbox.internal.")
                        || frame.getClassName().equals(Semaphore.class.getName()));
            }
        }

        @Test
        void permitsTakenWithoutAHandleHaveNoHolderRecord() throws Exception {
            Semaphore semaphore = Semaphore.builder(2).trackHolders(true).build();

            semaphore.acquire();
            semaphore.withPermit(() -> {
                assertThat(semaphore.snapshot().holders()).hasSize(1);
                return null;
            });

            assertThat(semaphore.snapshot().holders()).isEmpty();
            assertThat(semaphore.availablePermits()).isEqualTo(1);
        }

        @Test
        void areEmptyUnlessTracked() throws InterruptedException {
            Semaphore semaphore = Semaphore.builder(1).recordTotals(true).build();

            try (Permit permit = semaphore.acquirePermit()) {
                assertThat(permit.isReleased()).isFalse();
                assertThat(semaphore.snapshot().holders()).isEmpty();
            }
        }

        @Test
        void closingAHandleTwiceRemovesItOnce() throws InterruptedException {
            Semaphore semaphore = Semaphore.builder(2).trackHolders(true).build();
            Permit permit = semaphore.acquirePermit();
            Permit other = semaphore.acquirePermit();

            permit.close();
            permit.close();

            assertThat(semaphore.snapshot().holders()).hasSize(1);
            assertThat(semaphore.availablePermits()).isEqualTo(1);
            other.close();
        }
    }

    @Nested
    class Listeners {

        @Test
        void hearEveryOutcomeWithItsWaitAndEveryHoldTime() throws Exception {
            List<String> heard = new CopyOnWriteArrayList<>();
            List<Semaphore> attached = new CopyOnWriteArrayList<>();
            SemaphoreListener listener = new SemaphoreListener() {
                @Override
                public void onAttach(Semaphore semaphore) {
                    attached.add(semaphore);
                }

                @Override
                public void onAcquire(int permits, Outcome outcome, Duration waited) {
                    heard.add(outcome + " " + permits + (waited.isNegative() ? " negative" : ""));
                }

                @Override
                public void onPermitClosed(int permits, Duration held) {
                    heard.add("CLOSED " + permits + (held.isNegative() ? " negative" : ""));
                }
            };
            Semaphore semaphore = Semaphore.builder(2).maxWaiters(1).listener(listener).build();
            assertThat(attached).containsExactly(semaphore);

            Permit permit = semaphore.acquirePermit(2);
            CompletableFuture<Void> waiter = semaphore.acquireAsync(1);
            semaphore.acquireAsync();
            permit.close();
            Await.get(waiter);
            CompletableFuture<Void> timedOut = semaphore.acquireAsync(2).orTimeout(1, java.util.concurrent.TimeUnit.MILLISECONDS);
            assertThat(Await.failure(timedOut)).isInstanceOf(TimeoutException.class);

            // Closing the handle grants the waiter before the close itself is reported.
            assertThat(heard).containsExactly("GRANTED 2", "REJECTED 1", "GRANTED 1", "CLOSED 2", "TIMED_OUT 2");
        }

        @Test
        void aFailingListenerNeverChangesTheOutcome() {
            SemaphoreListener broken = new SemaphoreListener() {
                @Override
                public void onAcquire(int permits, Outcome outcome, Duration waited) {
                    throw new IllegalStateException("broken listener");
                }
            };
            Semaphore semaphore = Semaphore.builder(0).listener(broken).build();
            CompletableFuture<Void> waiter = semaphore.acquireAsync();

            semaphore.release();

            assertThat(waiter).isCompleted();
            assertThat(semaphore.tryAcquire()).isFalse();
            semaphore.release();
            assertThat(semaphore.tryAcquire()).isTrue();
        }

        @Test
        void aListenerMustNotBeNull() {
            assertThatThrownBy(() -> Semaphore.builder(1).listener(null))
                    .isInstanceOf(NullPointerException.class)
                    .hasMessage("listener");
        }
    }

    @Nested
    class Describe {

        @Test
        void describesPermitsWaitersHoldersAndTotalsInAFewLines() throws Exception {
            BoundedSemaphore semaphore = Semaphore.builder(3).name("db").recordTotals(true).trackHolders(true)
                    .buildBounded();
            Permit two = semaphore.acquirePermit(2);
            semaphore.acquireAsync(2);
            semaphore.pause();

            String text = semaphore.snapshot().describe();

            assertThat(text.lines().toList()).hasSize(3);
            assertThat(text).matches("(?s)semaphore 'db': 1 of 3 permits available, 1 waiting "
                    + "\\(the oldest for \\d+\\.\\d{3} s\\), paused\n"
                    + "  holder " + Thread.currentThread().getName() + ": 2 permits since \\d{4}-.*Z\n"
                    + "  totals: 1 granted, 0 cancelled, 0 timed out, 0 interrupted, 0 rejected");
            two.close();
        }

        @Test
        void anUnobservedUnboundedSemaphoreTakesOneLine() {
            Semaphore semaphore = Semaphore.of(1);
            semaphore.close();

            assertThat(semaphore.snapshot().describe()).isEqualTo("semaphore: 1 permit available, 0 waiting, closed");
        }
    }

    @Nested
    class Options {

        @Test
        void reclaimingLeaksNeedsLeakDetection() {
            assertThatThrownBy(() -> Semaphore.builder(1).reclaimLeakedPermits(true).build())
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("detectLeaks");
        }

        @Test
        void badObservationSettingsAreRefusedWithTheBadValue() {
            assertThatThrownBy(() -> Semaphore.builder(1).detectLeaks(0))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("samplingInterval must be at least 1, got 0");
            assertThatThrownBy(() -> Semaphore.builder(1).reportLongWaits(Duration.ZERO))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("threshold must be positive, got PT0S");
            assertThatThrownBy(() -> Semaphore.builder(1).reportLongWaits(null))
                    .isInstanceOf(NullPointerException.class)
                    .hasMessage("threshold");
        }

        @Test
        void observingChangesNoSemantics() throws InterruptedException {
            BoundedSemaphore semaphore = Semaphore.builder(1).recordTotals(true).trackHolders(true)
                    .detectLeaks(1).reportLongWaits(Duration.ofMillis(1)).buildBounded();

            try (Permit permit = semaphore.acquirePermit()) {
                assertThat(semaphore.tryAcquire()).isFalse();
                assertThat(semaphore.snapshot().holders()).singleElement()
                        .satisfies(h -> assertThat(h.permits()).isEqualTo(permit.permits()));
            }
            assertThatThrownBy(semaphore::release).hasMessageContaining("released too many times");
            assertThat(semaphore.availablePermits()).isEqualTo(1);
        }
    }

    private static <T> T onThread(String name, java.util.concurrent.Callable<T> call) throws Exception {
        CompletableFuture<T> result = new CompletableFuture<>();
        Thread thread = Thread.ofPlatform().name(name).start(() -> {
            try {
                result.complete(call.call());
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        });
        T value = Await.get(result);
        Await.join(thread);
        return value;
    }
}
