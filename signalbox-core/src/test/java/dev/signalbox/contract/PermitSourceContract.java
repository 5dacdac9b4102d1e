package dev.signalbox.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import dev.signalbox.Permit;
import dev.signalbox.PermitSource;

/**
 * The backend contract: the rules every {@link PermitSource} keeps, written once against that
 * interface alone. A backend's test class extends this and supplies only {@link #create(int)} (and,
 * where its promises differ, the hooks below): the in-process {@code Semaphore} and
 * {@code BoundedSemaphore} ({@link SemaphoreContractTest}, {@link BoundedSemaphoreContractTest}),
 * the machine-wide semaphore and the Redis one. Shipped in this module's test-jar.
 *
 * <p>Not to be confused with the core's {@code dev.signalbox.InProcessSemaphoreRules}, which runs
 * the in-process semaphores' rules through each of their entry points and checks them against
 * their whole API (queue length, callbacks); a rule checked here is not repeated there.
 *
 * <p>Every wait is bounded by {@link #GRANT}: a test that would hang fails instead. Negative
 * checks ("this does not get a permit") use {@link #refusalWait()}, the one place a test waits
 * for something not to happen.
 */
@Tag("unit")
public abstract class PermitSourceContract {

    /** The longest any test waits for something that must happen. */
    protected static final Duration GRANT = Duration.ofSeconds(10);

    private final List<PermitSource> created = new ArrayList<>();

    /** A new, independent source with {@code permits} permits, none of them held. */
    protected abstract PermitSource create(int permits) throws Exception;

    /** Whether waiters are served first-in first-out (in this process, in call order). */
    protected boolean promisesFifo() {
        return true;
    }

    /** Whether a request for more permits than the source was created with fails at once. */
    protected boolean refusesRequestsAboveItsPermits() {
        return true;
    }

    /** How long a negative check waits; long enough for a wrong grant to show up. */
    protected Duration refusalWait() {
        return Duration.ofMillis(100);
    }

    /** How many times the racing tests repeat their race. */
    protected int raceRounds() {
        return 200;
    }

    /** Frees what {@code source} holds on to (files, connections) after each test. */
    protected void dispose(PermitSource source) throws Exception {
        if (source instanceof AutoCloseable closeable) {
            closeable.close();
        }
    }

    @AfterEach
    void disposeSources() throws Exception {
        for (PermitSource source : created) {
            dispose(source);
        }
    }

    private PermitSource source(int permits) throws Exception {
        PermitSource source = create(permits);
        created.add(source);
        return source;
    }

    private static <T> T await(CompletableFuture<T> future) throws Exception {
        return future.get(GRANT.toMillis(), TimeUnit.MILLISECONDS);
    }

    private static Permit acquireWithin(PermitSource source, int permits) throws InterruptedException {
        return source.tryAcquirePermit(permits, GRANT)
                .orElseThrow(() -> new AssertionError(permits + " permits were not granted within " + GRANT));
    }

    /** Proves that exactly {@code permits} permits are free: all of them, and not one more. */
    private void assertExactlyFree(PermitSource source, int permits) throws InterruptedException {
        try (Permit all = acquireWithin(source, permits)) {
            assertThat(all.permits()).isEqualTo(permits);
            Optional<Permit> extra = source.tryAcquirePermit(1, refusalWait());
            extra.ifPresent(Permit::close);
            assertThat(extra).as("a permit beyond the %d the source has", permits).isEmpty();
        }
    }

    @Nested
    class Handles {

        @Test
        void aPermitHoldsWhatWasAskedForUntilClosed() throws Exception {
            PermitSource source = source(3);
            Permit two = acquireWithin(source, 2);
            assertThat(two.permits()).isEqualTo(2);
            assertThat(two.isReleased()).isFalse();
            two.close();
            assertThat(two.isReleased()).isTrue();
            assertExactlyFree(source, 3);
        }

        @Test
        void closingTwiceReleasesOnce() throws Exception {
            PermitSource source = source(2);
            Permit permit = acquireWithin(source, 1);
            permit.close();
            permit.close();
            assertThat(permit.isReleased()).isTrue();
            assertExactlyFree(source, 2);
        }

        @Test
        void closingFromManyThreadsAtOnceReleasesOnce() throws Exception {
            PermitSource source = source(2);
            for (int round = 0; round < 20; round++) {
                Permit permit = acquireWithin(source, 1);
                CountDownLatch start = new CountDownLatch(1);
                List<Thread> closers = new ArrayList<>();
                for (int i = 0; i < 4; i++) {
                    closers.add(Thread.ofPlatform().start(() -> {
                        awaitLatch(start);
                        permit.close();
                    }));
                }
                start.countDown();
                for (Thread closer : closers) {
                    assertThat(closer.join(GRANT)).isTrue();
                }
            }
            assertExactlyFree(source, 2);
        }

        @Test
        void asyncAcquireOfAFreePermitCompletesWithAHandle() throws Exception {
            PermitSource source = source(1);
            try (Permit permit = await(source.acquirePermitAsync())) {
                assertThat(permit.permits()).isEqualTo(1);
            }
            assertExactlyFree(source, 1);
        }
    }

    @Nested
    class Fairness {

        @Test
        void waitersAreServedInTheOrderTheyCame() throws Exception {
            org.junit.jupiter.api.Assumptions.assumeTrue(promisesFifo(), "this backend does not promise FIFO");
            PermitSource source = source(1);
            Permit holder = acquireWithin(source, 1);
            List<CompletableFuture<Permit>> waiters = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                waiters.add(source.acquirePermitAsync());
            }
            holder.close();
            for (int i = 0; i < waiters.size(); i++) {
                Permit granted = await(waiters.get(i));
                // Only one permit exists, so everyone behind the holder must still wait.
                for (int later = i + 1; later < waiters.size(); later++) {
                    assertThat(waiters.get(later)).as("waiter %d while %d holds", later, i).isNotDone();
                }
                granted.close();
            }
            assertExactlyFree(source, 1);
        }

        @Test
        void aTimedAcquireDoesNotOvertakeAWaiter() throws Exception {
            org.junit.jupiter.api.Assumptions.assumeTrue(promisesFifo(), "this backend does not promise FIFO");
            PermitSource source = source(2);
            Permit one = acquireWithin(source, 1);
            // The head waits for both permits; one is free, but taking it would overtake the head.
            CompletableFuture<Permit> head = source.acquirePermitAsync(2);
            Optional<Permit> overtaker = source.tryAcquirePermit(1, refusalWait());
            overtaker.ifPresent(Permit::close);
            assertThat(overtaker).as("a later, smaller request overtaking the head").isEmpty();
            one.close();
            await(head).close();
            assertExactlyFree(source, 2);
        }
    }

    @Nested
    class Timeouts {

        @Test
        void aTimedOutAcquireReturnsEmptyAndHoldsNothing() throws Exception {
            PermitSource source = source(2);
            Permit all = acquireWithin(source, 2);
            assertThat(source.tryAcquirePermit(1, refusalWait())).isEmpty();
            assertThat(source.tryAcquirePermit(Duration.ZERO)).isEmpty();
            assertThat(source.tryAcquirePermit(Duration.ofMillis(-5))).isEmpty();
            all.close();
            assertExactlyFree(source, 2);
        }

        @Test
        void aZeroTimeoutTakesAFreePermit() throws Exception {
            PermitSource source = source(1);
            Optional<Permit> permit = source.tryAcquirePermit(Duration.ZERO);
            assertThat(permit).isPresent();
            permit.get().close();
            assertExactlyFree(source, 1);
        }

        @Test
        void anAsyncAcquireTimedOutWithOrTimeoutLeavesNoTrace() throws Exception {
            PermitSource source = source(1);
            Permit holder = acquireWithin(source, 1);
            CompletableFuture<Permit> waiter = source.acquirePermitAsync().orTimeout(20, TimeUnit.MILLISECONDS);
            assertThatThrownBy(() -> await(waiter)).hasCauseInstanceOf(TimeoutException.class);
            holder.close();
            assertExactlyFree(source, 1);
        }
    }

    @Nested
    class Cancellation {

        @Test
        void aCancelledAsyncAcquireLeavesNoTrace() throws Exception {
            PermitSource source = source(2);
            Permit all = acquireWithin(source, 2);
            CompletableFuture<Permit> waiter = source.acquirePermitAsync();
            assertThat(waiter.cancel(true)).isTrue();
            assertThat(waiter).isCancelled();
            all.close();
            assertExactlyFree(source, 2);
        }

        @Test
        void cancellingTheHeadLetsTheNextWaiterIn() throws Exception {
            PermitSource source = source(2);
            Permit one = acquireWithin(source, 1);
            CompletableFuture<Permit> big = source.acquirePermitAsync(2);
            CompletableFuture<Permit> small = source.acquirePermitAsync(1);
            big.cancel(true);
            // One permit is free; with the large head gone, the small waiter behind it fits.
            await(small).close();
            one.close();
            assertExactlyFree(source, 2);
        }

        @Test
        void anInterruptedBlockingAcquireThrowsAndLeavesNoTrace() throws Exception {
            PermitSource source = source(1);
            Permit holder = acquireWithin(source, 1);
            AtomicReference<Throwable> outcome = new AtomicReference<>();
            Thread waiter = Thread.ofPlatform().start(() -> {
                try {
                    source.acquirePermit().close();
                } catch (Throwable t) {
                    outcome.set(t);
                }
            });
            awaitWaiting(waiter);
            waiter.interrupt();
            assertThat(waiter.join(GRANT)).isTrue();
            assertThat(outcome.get()).isInstanceOf(InterruptedException.class);
            holder.close();
            assertExactlyFree(source, 1);
        }

        @Test
        void anAcquireOnAnInterruptedThreadThrowsAndHoldsNothing() throws Exception {
            PermitSource source = source(1);
            Thread.currentThread().interrupt();
            try {
                assertThatThrownBy(source::acquirePermit).isInstanceOf(InterruptedException.class);
            } finally {
                Thread.interrupted();
            }
            assertExactlyFree(source, 1);
        }

        @Test
        void cancelRacingAGrantNeverLosesOrDuplicatesAPermit() throws Exception {
            PermitSource source = source(1);
            for (int round = 0; round < raceRounds(); round++) {
                Permit holder = acquireWithin(source, 1);
                CompletableFuture<Permit> waiter = source.acquirePermitAsync();
                CountDownLatch start = new CountDownLatch(1);
                Thread releaser = Thread.ofPlatform().start(() -> {
                    awaitLatch(start);
                    holder.close();
                });
                start.countDown();
                boolean cancelled = waiter.cancel(true);
                assertThat(releaser.join(GRANT)).isTrue();
                if (cancelled) {
                    assertThat(waiter).isCancelled();
                } else {
                    // The grant won: the waiter owns the permit and must give it back itself.
                    await(waiter).close();
                }
            }
            assertExactlyFree(source, 1);
        }
    }

    @Nested
    class ScopedUse {

        @Test
        void withPermitReleasesAfterTheActionSucceeds() throws Exception {
            PermitSource source = source(1);
            assertThat(source.withPermit(() -> "done")).isEqualTo("done");
            assertExactlyFree(source, 1);
        }

        @Test
        void withPermitReleasesAfterTheActionFails() throws Exception {
            PermitSource source = source(1);
            assertThatThrownBy(() -> source.withPermit(() -> {
                throw new IllegalStateException("boom");
            })).hasMessage("boom");
            assertExactlyFree(source, 1);
        }

        @Test
        void withPermitAsyncReleasesWhenTheStageCompletes() throws Exception {
            PermitSource source = source(1);
            CompletableFuture<String> work = new CompletableFuture<>();
            CompletableFuture<String> result = source.withPermitAsync(() -> work);
            assertThat(source.tryAcquirePermit(Duration.ZERO)).as("while the action runs").isEmpty();
            assertThat(result).isNotDone();
            work.complete("done");
            assertThat(await(result)).isEqualTo("done");
            assertExactlyFree(source, 1);
        }

        @Test
        void withPermitAsyncReleasesWhenTheStageFails() throws Exception {
            PermitSource source = source(1);
            CompletableFuture<String> result =
                    source.withPermitAsync(() -> CompletableFuture.failedFuture(new IllegalStateException("boom")));
            assertThatThrownBy(() -> await(result)).isInstanceOf(ExecutionException.class)
                    .hasRootCauseMessage("boom");
            assertExactlyFree(source, 1);
        }

        @Test
        void withPermitAsyncReleasesWhenTheActionThrows() throws Exception {
            PermitSource source = source(1);
            CompletableFuture<String> result = source.withPermitAsync(() -> {
                throw new IllegalStateException("boom");
            });
            assertThatThrownBy(() -> await(result)).hasRootCauseMessage("boom");
            assertExactlyFree(source, 1);
        }

        @Test
        void withPermitAsyncCancelledWhileWaitingNeverRunsTheAction() throws Exception {
            PermitSource source = source(1);
            Permit holder = acquireWithin(source, 1);
            AtomicBoolean ran = new AtomicBoolean();
            CompletableFuture<String> result = source.withPermitAsync(() -> {
                ran.set(true);
                return CompletableFuture.completedFuture("ran");
            });
            result.cancel(true);
            holder.close();
            assertExactlyFree(source, 1);
            assertThat(ran).isFalse();
            assertThatThrownBy(() -> await(result)).isInstanceOf(CancellationException.class);
        }
    }

    @Nested
    class BadInput {

        @Test
        void nonPositivePermitsAreRefusedNamingTheValue() throws Exception {
            PermitSource source = source(1);
            for (int bad : new int[] {0, -1, Integer.MIN_VALUE}) {
                assertThatThrownBy(() -> source.acquirePermit(bad)).isInstanceOf(IllegalArgumentException.class)
                        .hasMessageContaining("permits").hasMessageContaining(String.valueOf(bad));
                assertThatThrownBy(() -> source.acquirePermitAsync(bad)).isInstanceOf(IllegalArgumentException.class)
                        .hasMessageContaining("permits").hasMessageContaining(String.valueOf(bad));
                assertThatThrownBy(() -> source.tryAcquirePermit(bad, GRANT))
                        .isInstanceOf(IllegalArgumentException.class)
                        .hasMessageContaining("permits").hasMessageContaining(String.valueOf(bad));
            }
            assertExactlyFree(source, 1);
        }

        @Test
        void aRequestAboveThePermitsItHasFailsAtOnce() throws Exception {
            org.junit.jupiter.api.Assumptions.assumeTrue(refusesRequestsAboveItsPermits(),
                    "this backend lets requests wait for permits released later");
            PermitSource source = source(2);
            assertThatThrownBy(() -> source.acquirePermit(3)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("3");
            assertThatThrownBy(() -> source.acquirePermitAsync(3)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("3");
            assertExactlyFree(source, 2);
        }

        @Test
        void nullArgumentsAreRefusedByName() throws Exception {
            PermitSource source = source(1);
            assertThatThrownBy(() -> source.tryAcquirePermit(null)).isInstanceOf(NullPointerException.class)
                    .hasMessage("timeout");
            assertThatThrownBy(() -> source.tryAcquirePermit(1, null)).isInstanceOf(NullPointerException.class)
                    .hasMessage("timeout");
            assertThatThrownBy(() -> source.withPermit(null)).isInstanceOf(NullPointerException.class)
                    .hasMessage("action");
            assertThatThrownBy(() -> source.withPermitAsync(null)).isInstanceOf(NullPointerException.class)
                    .hasMessage("action");
            assertExactlyFree(source, 1);
        }
    }

    /** Waits until {@code thread} blocks or parks: it has entered its wait. */
    private static void awaitWaiting(Thread thread) throws InterruptedException {
        long deadline = System.nanoTime() + GRANT.toNanos();
        while (thread.getState() != Thread.State.WAITING && thread.getState() != Thread.State.TIMED_WAITING) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("thread never started waiting: " + thread.getState());
            }
            Thread.onSpinWait();
        }
    }

    private static void awaitLatch(CountDownLatch latch) {
        try {
            if (!latch.await(GRANT.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError("latch not released within " + GRANT);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
