package dev.signalbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The rules of DESIGN.md section 1 that the in-process {@link Semaphore} and
 * {@link BoundedSemaphore} share, each run through every entry point of {@link AcquireMethod} it
 * applies to, and checked against the whole in-process API ({@code queueLength}, {@code locked},
 * callbacks run by a release). {@link SemaphoreTest} and {@link BoundedSemaphoreTest} run it,
 * supplying only the factory. Every test releases at most what it took, so the rules hold for the
 * bounded kind unchanged.
 *
 * <p>Not to be confused with {@link dev.signalbox.contract.PermitSourceContract}, the backend
 * contract: the rules every {@link PermitSource} keeps (in-process, machine-wide, Redis), written
 * against that interface alone. It runs on the in-process semaphores too, so a rule it checks as
 * thoroughly is not repeated here.
 */
abstract class InProcessSemaphoreRules {

    /** A new semaphore of the type under test with {@code permits} permits free. */
    abstract Semaphore newSemaphore(int permits);

    /** A semaphore of {@code permits} permits, all of them taken: releasing up to that many is legal. */
    Semaphore drained(int permits) {
        Semaphore semaphore = newSemaphore(permits);
        assertThat(semaphore.tryAcquire(permits)).isTrue();
        return semaphore;
    }

    static void assertState(Semaphore semaphore, int available, int waiters) {
        assertThat(semaphore.availablePermits()).as("available permits of %s", semaphore).isEqualTo(available);
        assertThat(semaphore.queueLength()).as("waiters of %s", semaphore).isEqualTo(waiters);
    }

    @Nested
    class Counter {

        @ParameterizedTest
        @EnumSource(AcquireMethod.class)
        void takesAFreePermitAtOnce(AcquireMethod method) {
            Semaphore semaphore = newSemaphore(2);
            AcquireMethod.Attempt attempt = method.start(semaphore).awaitGranted();
            assertState(semaphore, 1, 0);
            attempt.release();
            assertState(semaphore, 2, 0);
        }

        @ParameterizedTest
        @EnumSource(AcquireMethod.class)
        void waitsForAReleaseAndThenHoldsThePermit(AcquireMethod method) {
            Semaphore semaphore = drained(1);
            AcquireMethod.Attempt attempt = method.queue(semaphore, 1, 1);
            assertState(semaphore, 0, 1);

            semaphore.release();

            attempt.awaitGranted();
            assertState(semaphore, 0, 0);
            attempt.release();
            assertState(semaphore, 1, 0);
        }

        @ParameterizedTest
        @MethodSource("dev.signalbox.AcquireMethod#weighted")
        void weightedAcquireTakesAllItsPermitsAtOnceOrWaits(AcquireMethod method) {
            Semaphore semaphore = drained(3);
            AcquireMethod.Attempt attempt = method.queue(semaphore, 3, 1);

            semaphore.release(2);
            assertState(semaphore, 2, 1);
            assertThat(attempt.isGranted()).isFalse();

            semaphore.release();
            attempt.awaitGranted();
            assertState(semaphore, 0, 0);
            attempt.release();
            assertState(semaphore, 3, 0);
        }

        @Test
        void startsWithItsInitialPermits() {
            assertState(newSemaphore(0), 0, 0);
            assertState(newSemaphore(3), 3, 0);
            assertThat(newSemaphore(0).locked()).isTrue();
            assertThat(newSemaphore(1).locked()).isFalse();
        }

        @Test
        void releaseWithNoWaitersAddsPermits() {
            Semaphore semaphore = drained(3);
            semaphore.release();
            assertState(semaphore, 1, 0);
            semaphore.release(2);
            assertState(semaphore, 3, 0);
        }

        @Test
        void tryAcquireTakesOnlyWhatIsFree() {
            Semaphore semaphore = newSemaphore(3);
            assertThat(semaphore.tryAcquire(2)).isTrue();
            assertThat(semaphore.tryAcquire(2)).isFalse();
            assertThat(semaphore.tryAcquire()).isTrue();
            assertThat(semaphore.tryAcquire()).isFalse();
            assertState(semaphore, 0, 0);
        }

        @Test
        void aPermitMayBeReleasedByAnotherThreadThanTheOneThatTookIt() {
            Semaphore semaphore = newSemaphore(1);
            Thread taker = Thread.ofPlatform().start(() -> assertThat(semaphore.tryAcquire()).isTrue());
            Await.join(taker);
            Thread releaser = Thread.ofPlatform().start(semaphore::release);
            Await.join(releaser);
            assertState(semaphore, 1, 0);
        }

        @Test
        void aTimedTryAcquireReturnsFalseWhenTheTimeRunsOutAndLeavesNoWaiter() throws InterruptedException {
            Semaphore semaphore = drained(1);
            assertThat(semaphore.tryAcquire(Duration.ofMillis(20))).isFalse();
            assertThat(semaphore.tryAcquire(1, Duration.ofMillis(20))).isFalse();
            assertThat(semaphore.tryAcquirePermit(Duration.ofMillis(20))).isEmpty();
            assertThat(semaphore.tryAcquire(Duration.ZERO)).isFalse();
            assertThat(semaphore.tryAcquire(Duration.ofNanos(-1))).isFalse();
            assertState(semaphore, 0, 0);
        }

        @Test
        void aZeroOrNegativeTimeoutStillTakesAFreePermit() throws InterruptedException {
            Semaphore semaphore = newSemaphore(2);
            assertThat(semaphore.tryAcquire(Duration.ZERO)).isTrue();
            assertThat(semaphore.tryAcquire(Duration.ofDays(-1))).isTrue();
            assertState(semaphore, 0, 0);
        }

        @Test
        void aTimeoutBeyondWhatNanosecondsCanHoldWaitsLikeNoTimeout() throws InterruptedException {
            Semaphore semaphore = newSemaphore(1);
            assertThat(semaphore.tryAcquire(Duration.ofSeconds(Long.MAX_VALUE))).isTrue();
            assertThat(semaphore.tryAcquire(Duration.ofSeconds(Long.MIN_VALUE))).isFalse();
        }
    }

    @Nested
    class FairNoBarging {

        @ParameterizedTest
        @EnumSource(AcquireMethod.class)
        void wakesWaitersInArrivalOrder(AcquireMethod method) {
            Semaphore semaphore = drained(3);
            List<AcquireMethod.Attempt> attempts = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                attempts.add(method.queue(semaphore, 1, i + 1));
            }
            for (int i = 0; i < 3; i++) {
                semaphore.release();
                // One permit, so the waiter that got it is the only one that could have.
                attempts.get(i).awaitGranted();
                assertState(semaphore, 0, 2 - i);
                for (AcquireMethod.Attempt later : attempts.subList(i + 1, 3)) {
                    assertThat(later.isGranted()).as("%s overtook waiter %d", later, i).isFalse();
                }
            }
            attempts.forEach(AcquireMethod.Attempt::release);
            assertState(semaphore, 3, 0);
        }

        @Test
        void servesWaitersInArrivalOrderAcrossAllEntryPoints() {
            Semaphore semaphore = drained(1);
            List<AcquireMethod.Attempt> attempts = new ArrayList<>();
            for (AcquireMethod method : AcquireMethod.values()) {
                attempts.add(method.queue(semaphore, 1, attempts.size() + 1));
            }
            semaphore.release();
            for (int i = 0; i < attempts.size(); i++) {
                attempts.get(i).awaitGranted();
                assertState(semaphore, 0, attempts.size() - 1 - i);
                for (AcquireMethod.Attempt later : attempts.subList(i + 1, attempts.size())) {
                    assertThat(later.isGranted()).as("%s overtook %s", later, attempts.get(i)).isFalse();
                }
                // Each holder hands the one permit on to the next in line.
                attempts.get(i).release();
            }
            assertState(semaphore, 1, 0);
        }

        @ParameterizedTest
        @EnumSource(AcquireMethod.class)
        void aReleaseHandsThePermitToTheWaiterSoTryAcquireCannotTakeIt(AcquireMethod method) {
            Semaphore semaphore = drained(1);
            AcquireMethod.Attempt waiter = method.queue(semaphore, 1, 1);

            semaphore.release();
            // A barging semaphore would have counted the permit as free until the waiter woke up.
            assertThat(semaphore.tryAcquire()).isFalse();
            assertThat(semaphore.acquireAsync().cancel(false)).isTrue();

            waiter.awaitGranted().release();
            assertState(semaphore, 1, 0);
        }

        @ParameterizedTest
        @EnumSource(AcquireMethod.class)
        void aNewAcquireQueuesBehindAWaiterEvenWhenEnoughPermitsAreFreeForIt(AcquireMethod method) {
            Semaphore semaphore = drained(2);
            AcquireMethod.Attempt head = AcquireMethod.ACQUIRE_ASYNC_N.queue(semaphore, 2, 1);
            semaphore.release();
            assertState(semaphore, 1, 1);

            AcquireMethod.Attempt later = method.queue(semaphore, 1, 2);
            assertThat(semaphore.tryAcquire()).isFalse();
            assertThat(semaphore.locked()).isTrue();

            semaphore.release();
            head.awaitGranted();
            assertThat(later.isGranted()).isFalse();
            assertState(semaphore, 0, 1);

            head.release();
            later.awaitGranted();
            assertState(semaphore, 1, 0);
            later.release();
            assertState(semaphore, 2, 0);
        }

        @Test
        void zeroTimeoutTryAcquireDoesNotOvertakeAWaiter() throws InterruptedException {
            Semaphore semaphore = drained(2);
            CompletableFuture<Void> head = semaphore.acquireAsync(2);
            semaphore.release();
            assertThat(semaphore.tryAcquire(Duration.ZERO)).isFalse();
            assertThat(semaphore.tryAcquirePermit(Duration.ZERO)).isEmpty();
            assertThat(semaphore.tryAcquire(1)).isFalse();
            assertThat(head.cancel(false)).isTrue();
            assertThat(semaphore.tryAcquire(Duration.ZERO)).isTrue();
        }

        @ParameterizedTest
        @MethodSource("dev.signalbox.AcquireMethod#weighted")
        void aWaiterForThreeAtTheHeadHoldsBackALaterWaiterForOne(AcquireMethod method) {
            Semaphore semaphore = drained(3);
            AcquireMethod.Attempt large = method.queue(semaphore, 3, 1);
            AcquireMethod.Attempt small = AcquireMethod.ACQUIRE_ASYNC.queue(semaphore, 1, 2);

            semaphore.release(2);
            assertState(semaphore, 2, 2);
            assertThat(small.isGranted()).as("the small request starved the large one").isFalse();
            assertThat(semaphore.locked()).isTrue();

            semaphore.release();
            large.awaitGranted();
            assertState(semaphore, 0, 1);

            large.release();
            small.awaitGranted();
            assertState(semaphore, 2, 0);
            small.release();
            assertState(semaphore, 3, 0);
        }

        @Test
        void oneReleaseGrantsAsManyWaitersInOrderAsItsPermitsCover() {
            Semaphore semaphore = drained(4);
            CompletableFuture<Void> one = semaphore.acquireAsync();
            CompletableFuture<Void> two = semaphore.acquireAsync(2);
            CompletableFuture<Void> three = semaphore.acquireAsync(3);
            CompletableFuture<Void> four = semaphore.acquireAsync();

            semaphore.release(4);

            assertThat(one).isCompleted();
            assertThat(two).isCompleted();
            // Three does not fit in the one permit left, and four may not overtake it.
            assertThat(three).isNotDone();
            assertThat(four).isNotDone();
            assertState(semaphore, 1, 2);
        }

        @Test
        void lockedWhileAnyoneWaitsEvenWithPermitsFree() {
            Semaphore semaphore = drained(3);
            CompletableFuture<Void> one = semaphore.acquireAsync();
            CompletableFuture<Void> two = semaphore.acquireAsync(2);
            assertThat(semaphore.locked()).isTrue();

            semaphore.release(2);
            // The release granted `one`; `two` still waits, so acquire() would wait despite a free permit.
            assertThat(one).isCompleted();
            assertState(semaphore, 1, 1);
            assertThat(semaphore.locked()).isTrue();

            assertThat(two.cancel(false)).isTrue();
            assertState(semaphore, 1, 0);
            assertThat(semaphore.locked()).isFalse();
        }
    }

    @Nested
    class CancellationSafe {

        @ParameterizedTest
        @EnumSource(AcquireMethod.class)
        void givingUpBeforeTheGrantLeavesNoTraceAndThePermitGoesToTheNextWaiter(AcquireMethod method) {
            Semaphore semaphore = drained(1);
            AcquireMethod.Attempt quitter = method.queue(semaphore, 1, 1);
            AcquireMethod.Attempt next = AcquireMethod.ACQUIRE_ASYNC.queue(semaphore, 1, 2);

            assertThat(quitter.giveUp()).isTrue();
            Throwable why = quitter.awaitWithdrawn();
            assertThat(why).isInstanceOf(method.isBlocking() ? InterruptedException.class
                    : CancellationException.class);
            assertState(semaphore, 0, 1);

            semaphore.release();
            next.awaitGranted();
            assertThat(quitter.isGranted()).isFalse();
            assertState(semaphore, 0, 0);
            next.release();
            assertState(semaphore, 1, 0);
        }

        @ParameterizedTest
        @EnumSource(AcquireMethod.class)
        void aWaiterInTheMiddleLeavesWithoutDisturbingTheOrder(AcquireMethod method) {
            Semaphore semaphore = drained(2);
            AcquireMethod.Attempt first = AcquireMethod.ACQUIRE_ASYNC.queue(semaphore, 1, 1);
            AcquireMethod.Attempt middle = method.queue(semaphore, 1, 2);
            AcquireMethod.Attempt last = AcquireMethod.ACQUIRE_ASYNC.queue(semaphore, 1, 3);

            middle.giveUp();
            middle.awaitWithdrawn();
            assertState(semaphore, 0, 2);

            semaphore.release();
            first.awaitGranted();
            assertThat(last.isGranted()).isFalse();
            semaphore.release();
            last.awaitGranted();
            assertState(semaphore, 0, 0);
            first.release();
            last.release();
            assertState(semaphore, 2, 0);
        }

        @ParameterizedTest
        @MethodSource("dev.signalbox.AcquireMethod#weighted")
        void aHeadThatGivesUpLetsTheSmallerRequestsBehindItThrough(AcquireMethod method) {
            Semaphore semaphore = drained(2);
            semaphore.release();
            AcquireMethod.Attempt head = method.queue(semaphore, 2, 1);
            AcquireMethod.Attempt behind = AcquireMethod.ACQUIRE_ASYNC.queue(semaphore, 1, 2);

            head.giveUp();
            head.awaitWithdrawn();

            // The permit the head was collecting goes to the next waiter at once.
            behind.awaitGranted();
            assertState(semaphore, 0, 0);
            behind.release();
            assertState(semaphore, 1, 0);
        }

        @ParameterizedTest
        @EnumSource(AcquireMethod.class)
        void whenTheGrantWinsTheRaceGivingUpKeepsThePermit(AcquireMethod method) {
            Semaphore semaphore = drained(1);
            AcquireMethod.Attempt attempt = method.queue(semaphore, 1, 1);

            semaphore.release();
            boolean cancelled = attempt.giveUp();

            attempt.awaitGranted();
            if (method == AcquireMethod.ACQUIRE_ASYNC || method == AcquireMethod.ACQUIRE_ASYNC_N
                    || method == AcquireMethod.ACQUIRE_PERMIT_ASYNC) {
                assertThat(cancelled).as("cancel after the grant").isFalse();
            }
            assertThat(attempt.withdrawn).isNotDone();
            assertState(semaphore, 0, 0);
            attempt.release();
            assertState(semaphore, 1, 0);
        }

        @Test
        void cancellingAGrantedFutureWhoseCallbackHasNotRunYetReturnsFalse() {
            // asyncio's 3.11 bug: a waiter woken but not yet resumed, then cancelled, lost the permit.
            Semaphore semaphore = drained(1);
            CompletableFuture<Void> first = semaphore.acquireAsync();
            CompletableFuture<Void> second = semaphore.acquireAsync();
            AtomicReference<Boolean> cancelResult = new AtomicReference<>();
            CompletableFuture<Void> callback = first.thenRun(() -> {
                semaphore.release();
                // The grant to `second` is made; its completion is delivered after this callback.
                cancelResult.set(second.cancel(false));
            });

            semaphore.release();

            Await.get(callback);
            assertThat(cancelResult.get()).as("cancel of a granted waiter").isFalse();
            assertThat(second).isCompleted();
            assertThat(second.isCancelled()).isFalse();
            assertState(semaphore, 0, 0);
            semaphore.release();
            assertState(semaphore, 1, 0);
        }

        @ParameterizedTest
        @EnumSource(value = AcquireMethod.class, names = {"ACQUIRE_ASYNC", "ACQUIRE_PERMIT_ASYNC"})
        void orTimeoutOnAPendingFutureWithdrawsItAndTheNextWaiterIsServed(AcquireMethod method) {
            Semaphore semaphore = drained(1);
            CompletableFuture<?> head = method == AcquireMethod.ACQUIRE_ASYNC
                    ? semaphore.acquireAsync()
                    : semaphore.acquirePermitAsync();
            CompletableFuture<Void> next = semaphore.acquireAsync();
            // The timeout is set once both are queued, so the order does not depend on timing.
            head.orTimeout(1, TimeUnit.MILLISECONDS);

            assertThat(Await.failure(head)).isInstanceOf(TimeoutException.class);
            assertState(semaphore, 0, 1);
            semaphore.release();
            assertThat(next).isCompleted();
            assertState(semaphore, 0, 0);
        }

        @Test
        void completingAPendingFutureExceptionallyWithdrawsIt() {
            Semaphore semaphore = drained(1);
            CompletableFuture<Void> future = semaphore.acquireAsync();
            assertThat(future.completeExceptionally(new IllegalStateException("gave up"))).isTrue();
            assertState(semaphore, 0, 0);
            semaphore.release();
            assertState(semaphore, 1, 0);
        }

        @Test
        void aTimedOutHeadLetsTheOnesBehindItThrough() throws InterruptedException {
            Semaphore semaphore = drained(2);
            semaphore.release();
            AtomicReference<Boolean> acquired = new AtomicReference<>();
            Thread head = Thread.ofPlatform().start(() -> {
                try {
                    // Long enough for the test to queue a waiter behind it, short enough to wait for.
                    acquired.set(semaphore.tryAcquire(2, Duration.ofSeconds(1)));
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
            });
            Await.queueLength(semaphore, 1);
            CompletableFuture<Void> behind = semaphore.acquireAsync();
            assertThat(behind).as("queued behind a head for 2 that is still waiting").isNotDone();

            Await.join(head);

            assertThat(acquired.get()).isFalse();
            Await.get(behind);
            assertState(semaphore, 0, 0);
        }

        @ParameterizedTest
        @MethodSource("dev.signalbox.AcquireMethod#blocking")
        void anInterruptedThreadDoesNotAcquireEvenAFreePermit(AcquireMethod method) {
            Semaphore semaphore = newSemaphore(1);
            Thread.currentThread().interrupt();
            try {
                assertThatThrownBy(() -> method.invokeExpectingFailure(semaphore, 1))
                        .isInstanceOf(InterruptedException.class);
                assertThat(Thread.currentThread().isInterrupted()).as("interrupt status after the throw").isFalse();
            } finally {
                Thread.interrupted();
            }
            assertState(semaphore, 1, 0);
        }

        @Test
        void anInterruptAfterTheGrantKeepsThePermitAndTheInterruptStatus() {
            Semaphore semaphore = drained(1);
            CompletableFuture<Void> interruptSent = new CompletableFuture<>();
            AtomicBoolean interruptedAfterAcquire = new AtomicBoolean();
            Thread thread = Thread.ofPlatform().start(() -> {
                try {
                    semaphore.acquire();
                } catch (InterruptedException e) {
                    return;
                }
                interruptSent.join();
                interruptedAfterAcquire.set(Thread.currentThread().isInterrupted());
            });
            Await.queueLength(semaphore, 1);

            semaphore.release();
            thread.interrupt();
            interruptSent.complete(null);

            Await.join(thread);
            assertThat(interruptedAfterAcquire).as("acquired, with the interrupt kept").isTrue();
            assertState(semaphore, 0, 0);
        }

        @ParameterizedTest
        @ValueSource(ints = {1, 2})
        void theFuturesRefuseToBeCompletedByTheirCallers(int permits) {
            Semaphore semaphore = drained(2);
            List<CompletableFuture<?>> pending = List.of(
                    semaphore.acquireAsync(permits), semaphore.acquirePermitAsync(permits));
            for (CompletableFuture<?> future : pending) {
                assertRefusesCompletion(future);
                assertThat(future).isNotDone();
            }
            assertState(semaphore, 0, 2);
            pending.forEach(future -> future.cancel(false));
            assertState(semaphore, 0, 0);
        }

        @Test
        void futuresGrantedAtOnceCannotBeChangedEither() {
            Semaphore semaphore = newSemaphore(2);
            CompletableFuture<Void> acquired = semaphore.acquireAsync();
            CompletableFuture<Permit> permit = semaphore.acquirePermitAsync();
            for (CompletableFuture<?> future : List.of(acquired, permit)) {
                assertThatThrownBy(() -> future.obtrudeException(new IllegalStateException()))
                        .isInstanceOf(UnsupportedOperationException.class);
                obtrudeNull(future);
                assertThat(future).isCompleted();
            }
            assertThat(Await.get(permit)).isNotNull();
            assertState(semaphore, 0, 0);
        }

        @SuppressWarnings("unchecked")
        private static void obtrudeNull(CompletableFuture<?> future) {
            assertThatThrownBy(() -> ((CompletableFuture<Object>) future).obtrudeValue(null))
                    .isInstanceOf(UnsupportedOperationException.class);
        }

        @SuppressWarnings("unchecked")
        private static void assertRefusesCompletion(CompletableFuture<?> future) {
            CompletableFuture<Object> f = (CompletableFuture<Object>) future;
            List<Consumer<CompletableFuture<Object>>> completions = List.of(
                    x -> x.complete(null),
                    x -> x.completeAsync(() -> null),
                    x -> x.completeAsync(() -> null, Runnable::run),
                    x -> x.completeOnTimeout(null, 1, TimeUnit.NANOSECONDS),
                    x -> x.obtrudeValue(null),
                    x -> x.obtrudeException(new IllegalStateException()));
            for (Consumer<CompletableFuture<Object>> completion : completions) {
                assertThatThrownBy(() -> completion.accept(f)).isInstanceOf(UnsupportedOperationException.class);
            }
        }
    }

    @Nested
    class BadInput {

        @ParameterizedTest
        @MethodSource("dev.signalbox.AcquireMethod#weighted")
        void acquiringZeroOrFewerPermitsIsRefusedAndChangesNothing(AcquireMethod method) {
            Semaphore semaphore = newSemaphore(1);
            for (int permits : new int[] {0, -1, Integer.MIN_VALUE}) {
                assertThatThrownBy(() -> method.invokeExpectingFailure(semaphore, permits))
                        .isInstanceOf(IllegalArgumentException.class)
                        .hasMessageContaining("permits must be positive, got " + permits);
            }
            assertState(semaphore, 1, 0);
        }

        @Test
        void tryAcquireAndReleaseOfZeroOrFewerPermitsAreRefused() {
            Semaphore semaphore = drained(1);
            for (int permits : new int[] {0, -1, Integer.MIN_VALUE}) {
                assertThatThrownBy(() -> semaphore.tryAcquire(permits))
                        .isInstanceOf(IllegalArgumentException.class)
                        .hasMessageContaining("got " + permits);
                assertThatThrownBy(() -> semaphore.release(permits))
                        .isInstanceOf(IllegalArgumentException.class)
                        .hasMessageContaining("permits must be positive, got " + permits);
            }
            assertState(semaphore, 0, 0);
        }

        @Test
        void aNegativeInitialValueIsRefused() {
            assertThatThrownBy(() -> newSemaphore(-1))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("got -1");
        }

        @Test
        void aNullTimeoutIsRefusedByName() {
            // tryAcquirePermit's null timeouts are PermitSourceContract's; these are Semaphore's own.
            Semaphore semaphore = newSemaphore(1);
            List<ThrowingCall> calls = List.of(
                    () -> semaphore.tryAcquire(null),
                    () -> semaphore.tryAcquire(1, null));
            for (ThrowingCall call : calls) {
                assertThatThrownBy(call::run).isInstanceOf(NullPointerException.class).hasMessage("timeout");
            }
            assertState(semaphore, 1, 0);
        }
    }

    /** A call that may throw anything, for argument checks. */
    @FunctionalInterface
    interface ThrowingCall {
        void run() throws Exception;
    }

    @Nested
    class WithPermit {

        @Test
        void withPermitReturnsTheActionsResultAndReleases() throws Exception {
            Semaphore semaphore = newSemaphore(1);
            assertThat(semaphore.<String>withPermit(() -> {
                assertState(semaphore, 0, 0);
                return "done";
            })).isEqualTo("done");
            assertState(semaphore, 1, 0);
        }

        @Test
        void withPermitReleasesWhenTheActionThrows() {
            Semaphore semaphore = newSemaphore(1);
            assertThatThrownBy(() -> semaphore.withPermit(() -> {
                throw new java.io.IOException("the action failed");
            })).isInstanceOf(java.io.IOException.class).hasMessage("the action failed");
            assertState(semaphore, 1, 0);
        }

        @Test
        void withPermitAsyncReleasesWhenTheStageFailsOrTheActionThrows() {
            Semaphore semaphore = newSemaphore(1);
            CompletableFuture<String> failed = semaphore.withPermitAsync(
                    () -> CompletableFuture.failedFuture(new IllegalStateException("stage failed")));
            assertThat(Await.failure(failed)).hasMessage("stage failed");
            assertState(semaphore, 1, 0);

            CompletableFuture<String> thrown = semaphore.withPermitAsync(() -> {
                throw new IllegalStateException("action threw");
            });
            assertThat(Await.failure(thrown)).hasMessage("action threw");
            assertState(semaphore, 1, 0);

            CompletableFuture<String> nullStage = semaphore.withPermitAsync(() -> null);
            assertThat(Await.failure(nullStage)).isInstanceOf(NullPointerException.class);
            assertState(semaphore, 1, 0);
        }

        @Test
        void cancellingAWaitingWithPermitAsyncWithdrawsItAndTheActionNeverRuns() {
            Semaphore semaphore = drained(1);
            AtomicBoolean ran = new AtomicBoolean();
            CompletableFuture<String> result = semaphore.withPermitAsync(() -> {
                ran.set(true);
                return CompletableFuture.completedFuture("ran");
            });
            assertState(semaphore, 0, 1);

            assertThat(result.cancel(false)).isTrue();

            assertState(semaphore, 0, 0);
            semaphore.release();
            assertThat(ran).isFalse();
            assertState(semaphore, 1, 0);
        }
    }

    @Nested
    class Callbacks {

        @Test
        void aCallbackThatReleasesPassesThePermitOn() {
            Semaphore semaphore = drained(1);
            CompletableFuture<Void> first = semaphore.acquireAsync();
            CompletableFuture<Void> second = semaphore.acquireAsync();
            first.thenRun(semaphore::release);

            semaphore.release();

            Await.get(second);
            assertState(semaphore, 0, 0);
        }

        @Test
        void aCallbackThatReleasesAndAcquiresAgainGetsThePermitBack() {
            Semaphore semaphore = drained(1);
            CompletableFuture<Void> again = semaphore.acquireAsync().thenCompose(granted -> {
                semaphore.release();
                return semaphore.acquireAsync();
            });

            semaphore.release();

            Await.get(again);
            assertState(semaphore, 0, 0);
        }

        @Test
        void aCallbackMayWaitForAnotherThreadThatUsesTheSemaphore() {
            // If the future were completed under the semaphore's lock, the other thread would block on it.
            Semaphore semaphore = drained(2);
            CompletableFuture<Void> first = semaphore.acquireAsync();
            CompletableFuture<Void> second = semaphore.acquireAsync();
            CompletableFuture<Void> callback = first.thenRun(() -> Await.join(Thread.ofPlatform().start(() -> {
                semaphore.release();
                assertThat(semaphore.tryAcquire()).isFalse();
            })));

            semaphore.release();

            Await.get(callback);
            assertThat(second).isCompleted();
            assertState(semaphore, 0, 0);
        }

        @Test
        void aCallbackThatBlocksInAcquireDoesNotHoldBackTheThreadItsReleaseGranted() {
            Semaphore semaphore = drained(1);
            CompletableFuture<Void> first = semaphore.acquireAsync();
            Thread blocked = Thread.ofPlatform().start(() -> {
                try {
                    semaphore.acquire();
                } catch (InterruptedException e) {
                    return;
                }
                semaphore.release();
            });
            Await.queueLength(semaphore, 2);
            CompletableFuture<Void> callback = first.thenRun(() -> {
                // Grants the blocked thread, then waits until that thread has released again.
                semaphore.release();
                try {
                    assertThat(semaphore.tryAcquire(Await.TIMEOUT)).as("the permit came back").isTrue();
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
            });

            Thread releaser = Thread.ofPlatform().start(semaphore::release);

            Await.join(releaser);
            Await.join(blocked);
            Await.get(callback);
            assertState(semaphore, 0, 0);
        }
    }
}
