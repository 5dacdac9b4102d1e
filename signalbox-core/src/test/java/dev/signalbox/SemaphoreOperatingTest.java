package dev.signalbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Operating a live semaphore: pausing, closing and failing it, and limiting its wait queue. */
@Tag("unit")
class SemaphoreOperatingTest {

    @Nested
    class Pause {

        @Test
        void acquirersQueueInOrderWhilePausedAndResumeServesThemFirstInFirstOut() {
            Semaphore semaphore = Semaphore.of(3);
            semaphore.pause();
            List<String> served = new CopyOnWriteArrayList<>();
            CompletableFuture<Void> first = semaphore.acquireAsync(2).thenRun(() -> served.add("first"));
            CompletableFuture<Void> second = semaphore.acquireAsync(1).thenRun(() -> served.add("second"));
            CompletableFuture<Void> third = semaphore.acquireAsync(1).thenRun(() -> served.add("third"));

            assertThat(semaphore.queueLength()).isEqualTo(3);
            assertThat(served).isEmpty();

            semaphore.resume();

            assertThat(served).containsExactly("first", "second");
            assertThat(first).isDone();
            assertThat(second).isDone();
            assertThat(third).isNotDone();
            semaphore.release();
            assertThat(served).containsExactly("first", "second", "third");
        }

        @Test
        void tryAcquireFailsWhilePausedEvenWithFreePermits() throws InterruptedException {
            Semaphore semaphore = Semaphore.of(2);
            semaphore.pause();

            assertThat(semaphore.tryAcquire()).isFalse();
            assertThat(semaphore.tryAcquire(Duration.ZERO)).isFalse();
            assertThat(semaphore.locked()).isTrue();
            assertThat(semaphore.availablePermits()).isEqualTo(2);

            semaphore.resume();
            assertThat(semaphore.tryAcquire()).isTrue();
        }

        @ParameterizedTest
        @EnumSource(AcquireMethod.class)
        void everyEntryPointWaitsWhilePausedAndIsServedOnResume(AcquireMethod method) {
            Semaphore semaphore = Semaphore.of(1);
            semaphore.pause();
            AcquireMethod.Attempt attempt = method.queue(semaphore, 1, 1);
            assertThat(attempt.withdrawn).isNotDone();

            semaphore.resume();

            attempt.awaitGranted();
            assertThat(semaphore.availablePermits()).isZero();
            attempt.release();
        }

        @Test
        void releasesCountWhilePaused() {
            Semaphore semaphore = Semaphore.of(0);
            CompletableFuture<Void> waiter = semaphore.acquireAsync(2);
            semaphore.pause();

            semaphore.release(3);

            assertThat(waiter).isNotDone();
            assertThat(semaphore.availablePermits()).isEqualTo(3);
            semaphore.resume();
            assertThat(waiter).isDone();
            assertThat(semaphore.availablePermits()).isEqualTo(1);
        }

        @Test
        void holdersKeepTheirPermitsWhenPaused() {
            Semaphore semaphore = Semaphore.of(1);
            Permit held = Await.get(semaphore.acquirePermitAsync());
            semaphore.pause();

            held.close();

            assertThat(semaphore.availablePermits()).isEqualTo(1);
            assertThat(semaphore.tryAcquire()).isFalse();
        }

        @Test
        void pausingOrResumingTwiceIsHarmless() {
            Semaphore semaphore = Semaphore.of(1);
            semaphore.pause();
            semaphore.pause();
            assertThat(semaphore.snapshot().paused()).isTrue();
            semaphore.resume();
            semaphore.resume();
            assertThat(semaphore.snapshot().paused()).isFalse();
            assertThat(semaphore.tryAcquire()).isTrue();
        }

        @Test
        void aWaiterCancelledWhilePausedLeavesNoTrace() {
            Semaphore semaphore = Semaphore.of(1);
            semaphore.pause();
            CompletableFuture<Void> cancelled = semaphore.acquireAsync();
            CompletableFuture<Void> next = semaphore.acquireAsync();

            assertThat(cancelled.cancel(false)).isTrue();
            semaphore.resume();

            assertThat(next).isDone();
            assertThat(semaphore.availablePermits()).isZero();
            assertThat(semaphore.queueLength()).isZero();
        }
    }

    @Nested
    class CloseAndFail {

        @ParameterizedTest
        @EnumSource(AcquireMethod.class)
        void failFailsEveryQueuedWaiterWithTheCause(AcquireMethod method) {
            Semaphore semaphore = Semaphore.of(0);
            AcquireMethod.Attempt attempt = method.queue(semaphore, 1, 1);
            IllegalStateException cause = new IllegalStateException("backend is gone");

            assertThat(semaphore.fail(cause)).isTrue();

            assertThat(attempt.awaitWithdrawn())
                    .isInstanceOf(SemaphoreClosedException.class)
                    .hasCause(cause)
                    .hasMessageContaining("backend is gone");
            assertThat(semaphore.queueLength()).isZero();
        }

        @ParameterizedTest
        @EnumSource(AcquireMethod.class)
        void closeFailsEveryQueuedWaiter(AcquireMethod method) {
            Semaphore semaphore = Semaphore.of(0);
            AcquireMethod.Attempt attempt = method.queue(semaphore, 1, 1);

            assertThat(semaphore.close()).isTrue();

            assertThat(attempt.awaitWithdrawn())
                    .isInstanceOf(SemaphoreClosedException.class)
                    .hasNoCause()
                    .hasMessage("semaphore is closed");
        }

        @ParameterizedTest
        @EnumSource(AcquireMethod.class)
        void laterAcquiresFailAtOnceEvenWithFreePermits(AcquireMethod method) {
            Semaphore semaphore = Semaphore.of(5);
            RuntimeException cause = new RuntimeException("shutting down");
            semaphore.fail(cause);

            assertThat(method.failureWithoutWaiting(semaphore, 1))
                    .isInstanceOf(SemaphoreClosedException.class)
                    .hasCause(cause);
            assertThat(semaphore.availablePermits()).isEqualTo(5);
        }

        @Test
        void asyncAcquiresOnAClosedSemaphoreReturnAFailedFutureInsteadOfThrowing() {
            Semaphore semaphore = Semaphore.of(1);
            semaphore.close();

            CompletableFuture<Void> plain = semaphore.acquireAsync();
            CompletableFuture<Permit> handle = semaphore.acquirePermitAsync(1);

            assertThat(plain).isCompletedExceptionally();
            assertThat(handle).isCompletedExceptionally();
            assertThat(Await.failure(plain)).isInstanceOf(SemaphoreClosedException.class);
            assertThat(Await.failure(handle)).isInstanceOf(SemaphoreClosedException.class);
        }

        @Test
        void tryAcquireOnAClosedSemaphoreThrowsRatherThanPretendingItIsMerelyBusy() {
            Semaphore semaphore = Semaphore.of(1);
            semaphore.close();

            assertThatThrownBy(semaphore::tryAcquire).isInstanceOf(SemaphoreClosedException.class);
            assertThatThrownBy(() -> semaphore.tryAcquire(Duration.ZERO)).isInstanceOf(SemaphoreClosedException.class);
        }

        @Test
        void holdersMayStillReleaseAfterClose() throws InterruptedException {
            Semaphore semaphore = Semaphore.of(3);
            Permit handle = semaphore.acquirePermit();
            semaphore.acquire(2);
            semaphore.close();

            handle.close();
            semaphore.release(2);

            assertThat(handle.isReleased()).isTrue();
            assertThat(semaphore.availablePermits()).isEqualTo(3);
        }

        @Test
        void onlyTheFirstCloseOrFailCountsAndItsCauseStays() {
            Semaphore semaphore = Semaphore.of(0);
            RuntimeException first = new RuntimeException("first");

            assertThat(semaphore.fail(first)).isTrue();
            assertThat(semaphore.close()).isFalse();
            assertThat(semaphore.fail(new RuntimeException("second"))).isFalse();

            assertThat(semaphore.isClosed()).isTrue();
            assertThat(Await.failure(semaphore.acquireAsync())).hasCause(first);
        }

        @Test
        void failRejectsANullCause() {
            Semaphore semaphore = Semaphore.of(1);

            assertThatThrownBy(() -> semaphore.fail(null))
                    .isInstanceOf(NullPointerException.class)
                    .hasMessage("cause");
            assertThat(semaphore.isClosed()).isFalse();
        }

        @Test
        void closingAPausedSemaphoreFailsItsWaitersToo() {
            Semaphore semaphore = Semaphore.of(2);
            semaphore.pause();
            CompletableFuture<Void> waiter = semaphore.acquireAsync();

            semaphore.close();

            assertThat(Await.failure(waiter)).isInstanceOf(SemaphoreClosedException.class);
        }
    }

    @Nested
    class AdmissionLimit {

        @ParameterizedTest
        @EnumSource(AcquireMethod.class)
        void anAcquireBeyondTheLimitFailsAtOnce(AcquireMethod method) {
            Semaphore semaphore = Semaphore.builder(0).maxWaiters(2).build();
            CompletableFuture<Void> first = semaphore.acquireAsync();
            CompletableFuture<Void> second = semaphore.acquireAsync();

            assertThat(method.failureWithoutWaiting(semaphore, 1))
                    .isInstanceOfSatisfying(TooManyWaitersException.class,
                            e -> assertThat(e.maxWaiters()).isEqualTo(2))
                    .hasMessageContaining("limit of 2");
            assertThat(semaphore.queueLength()).isEqualTo(2);
            assertThat(first).isNotDone();
            assertThat(second).isNotDone();
        }

        @Test
        void asyncAcquiresBeyondTheLimitReturnAFailedFuture() {
            Semaphore semaphore = Semaphore.builder(0).maxWaiters(1).build();
            semaphore.acquireAsync();

            CompletableFuture<Void> rejected = semaphore.acquireAsync();
            CompletableFuture<Permit> rejectedHandle = semaphore.acquirePermitAsync();

            assertThat(Await.failure(rejected)).isInstanceOf(TooManyWaitersException.class);
            assertThat(Await.failure(rejectedHandle)).isInstanceOf(TooManyWaitersException.class);
        }

        @Test
        void anAcquireThatNeedNotWaitIsNeverRejected() {
            Semaphore semaphore = Semaphore.builder(2).maxWaiters(0).build();

            assertThat(semaphore.acquireAsync()).isDone();
            assertThat(semaphore.acquireAsync()).isDone();
            assertThat(Await.failure(semaphore.acquireAsync())).isInstanceOf(TooManyWaitersException.class);
        }

        @Test
        void aCancelledWaiterFreesItsSlot() {
            Semaphore semaphore = Semaphore.builder(0).maxWaiters(1).build();
            CompletableFuture<Void> first = semaphore.acquireAsync();
            assertThat(Await.failure(semaphore.acquireAsync())).isInstanceOf(TooManyWaitersException.class);

            first.cancel(false);

            CompletableFuture<Void> second = semaphore.acquireAsync();
            assertThat(second).isNotDone();
            semaphore.release();
            assertThat(second).isDone();
        }

        @Test
        void aTimedOutWaiterFreesItsSlot() throws InterruptedException {
            Semaphore semaphore = Semaphore.builder(0).maxWaiters(1).build();

            assertThat(semaphore.tryAcquire(Duration.ofMillis(1))).isFalse();

            CompletableFuture<Void> next = semaphore.acquireAsync();
            assertThat(next).isNotDone();
            assertThat(semaphore.queueLength()).isEqualTo(1);
        }

        @Test
        void aGrantedWaiterFreesItsSlot() {
            Semaphore semaphore = Semaphore.builder(0).maxWaiters(1).build();
            CompletableFuture<Void> first = semaphore.acquireAsync();

            semaphore.release();

            assertThat(first).isDone();
            assertThat(semaphore.acquireAsync()).isNotDone();
        }

        @Test
        void aNegativeLimitIsRefused() {
            assertThatThrownBy(() -> Semaphore.builder(1).maxWaiters(-1))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("maxWaiters must not be negative, got -1");
        }
    }

    @Nested
    class Snapshot {

        @Test
        void showsPermitsWaitersAndStateOfABoundedSemaphore() {
            long before = System.nanoTime();
            BoundedSemaphore semaphore = Semaphore.builder(3).name("db").buildBounded();
            semaphore.acquireAsync(3);
            semaphore.acquireAsync(2);
            semaphore.acquireAsync(1);
            semaphore.pause();

            SemaphoreSnapshot snapshot = semaphore.snapshot();

            assertThat(snapshot.name()).contains("db");
            assertThat(snapshot.availablePermits()).isZero();
            assertThat(snapshot.maxPermits()).hasValue(3);
            assertThat(snapshot.waiters()).isEqualTo(2);
            assertThat(snapshot.oldestWait())
                    .isBetween(Duration.ZERO, Duration.ofNanos(System.nanoTime() - before).plusMillis(1));
            assertThat(snapshot.paused()).isTrue();
            assertThat(snapshot.closed()).isFalse();
            assertThat(snapshot.holders()).isEmpty();
            assertThat(snapshot.totals()).isEmpty();
        }

        @Test
        void anUnboundedUnnamedSemaphoreHasNoMaximumAndNoName() {
            Semaphore semaphore = Semaphore.of(2);
            semaphore.close();

            SemaphoreSnapshot snapshot = semaphore.snapshot();

            assertThat(snapshot.name()).isEmpty();
            assertThat(snapshot.maxPermits()).isEmpty();
            assertThat(snapshot.availablePermits()).isEqualTo(2);
            assertThat(snapshot.waiters()).isZero();
            assertThat(snapshot.oldestWait()).isEqualTo(Duration.ZERO);
            assertThat(snapshot.closed()).isTrue();
        }

        @Test
        void namesMustNotBeBlank() {
            assertThatThrownBy(() -> Semaphore.builder(1).name(" "))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("name must not be blank, got ' '");
            assertThatThrownBy(() -> Semaphore.builder(1).name(null))
                    .isInstanceOf(NullPointerException.class)
                    .hasMessage("name");
        }

        @Test
        void toStringShowsTheName() {
            assertThat(Semaphore.builder(2).name("db").build()).hasToString("Semaphore[name=db, permits=2, waiters=0]");
        }
    }
}
