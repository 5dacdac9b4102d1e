package dev.signalbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link BoundedSemaphore#setMaxPermits(int)}: resizing a live semaphore without ever waiting. */
@Tag("unit")
class BoundedSemaphoreResizeTest {

    @Nested
    class Grow {

        @Test
        void growingWakesWaitersInFirstInFirstOutOrder() {
            BoundedSemaphore semaphore = BoundedSemaphore.of(1);
            semaphore.tryAcquire();
            List<String> served = new CopyOnWriteArrayList<>();
            semaphore.acquireAsync().thenRun(() -> served.add("first"));
            semaphore.acquireAsync().thenRun(() -> served.add("second"));
            CompletableFuture<Void> third = semaphore.acquireAsync().thenRun(() -> served.add("third"));

            semaphore.setMaxPermits(3);

            assertThat(served).containsExactly("first", "second");
            assertThat(third).isNotDone();
            assertThat(semaphore.maxPermits()).isEqualTo(3);
            assertThat(semaphore.availablePermits()).isZero();
        }

        @Test
        void aLargeRequestAtTheHeadStillHoldsBackSmallerOnesAfterGrowing() {
            BoundedSemaphore semaphore = BoundedSemaphore.of(2);
            semaphore.tryAcquire(2);
            CompletableFuture<Void> large = semaphore.acquireAsync(2);
            CompletableFuture<Void> small = semaphore.acquireAsync(1);

            semaphore.setMaxPermits(3);

            assertThat(semaphore.availablePermits()).isEqualTo(1);
            assertThat(large).isNotDone();
            assertThat(small).isNotDone();
            semaphore.release();
            assertThat(large).isDone();
            assertThat(small).isNotDone();
        }

        @Test
        void growingRaisesTheReleaseBound() {
            BoundedSemaphore semaphore = BoundedSemaphore.of(1);

            semaphore.setMaxPermits(2);
            semaphore.tryAcquire(2);
            semaphore.release(2);

            assertThat(semaphore.availablePermits()).isEqualTo(2);
            assertThatThrownBy(semaphore::release).hasMessageContaining("released too many times");
        }

        @Test
        void requestsUpToTheNewMaximumAreAccepted() {
            BoundedSemaphore semaphore = BoundedSemaphore.of(1);
            assertThatThrownBy(() -> semaphore.acquireAsync(3)).isInstanceOf(IllegalArgumentException.class);

            semaphore.setMaxPermits(3);

            assertThat(semaphore.acquireAsync(3)).isDone();
        }
    }

    @Nested
    class Shrink {

        @Test
        void shrinkingNeverWaitsAndHoldersPayTheSurplusBack() {
            BoundedSemaphore semaphore = BoundedSemaphore.of(3);
            semaphore.tryAcquire(3);

            semaphore.setMaxPermits(1);

            assertThat(semaphore.availablePermits()).isEqualTo(-2);
            assertThat(semaphore.maxPermits()).isEqualTo(1);
            semaphore.release();
            assertThat(semaphore.tryAcquire()).isFalse();
            semaphore.release();
            assertThat(semaphore.availablePermits()).isZero();
            assertThat(semaphore.tryAcquire()).isFalse();
            semaphore.release();
            assertThat(semaphore.availablePermits()).isEqualTo(1);
            assertThatThrownBy(semaphore::release)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("released too many times");
            assertThat(semaphore.availablePermits()).isEqualTo(1);
        }

        @Test
        void waitersAreServedOnlyOnceTheSurplusIsPaidBack() {
            BoundedSemaphore semaphore = BoundedSemaphore.of(2);
            semaphore.tryAcquire(2);
            CompletableFuture<Void> waiter = semaphore.acquireAsync();

            semaphore.setMaxPermits(1);
            semaphore.release();

            assertThat(waiter).isNotDone();
            semaphore.release();
            assertThat(waiter).isDone();
            assertThat(semaphore.availablePermits()).isZero();
        }

        @ParameterizedTest
        @MethodSource("dev.signalbox.AcquireMethod#weighted")
        void queuedRequestsAboveTheNewMaximumFail(AcquireMethod method) {
            BoundedSemaphore semaphore = BoundedSemaphore.of(3);
            semaphore.tryAcquire(3);
            AcquireMethod.Attempt tooLarge = method.queue(semaphore, 3, 1);
            CompletableFuture<Void> fits = semaphore.acquireAsync(2);

            semaphore.setMaxPermits(2);

            assertThat(tooLarge.awaitWithdrawn())
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("request for 3 permits can no longer be granted");
            assertThat(fits).isNotDone();
            assertThat(semaphore.queueLength()).isEqualTo(1);
            semaphore.release(3);
            assertThat(fits).isDone();
        }

        @Test
        void aFailedHeadLetsTheWaiterBehindItThrough() {
            BoundedSemaphore semaphore = BoundedSemaphore.of(3);
            semaphore.tryAcquire(3);
            semaphore.release(2); // 2 available, held back by the head request for 3
            CompletableFuture<Void> head = semaphore.acquireAsync(3);
            CompletableFuture<Void> behind = semaphore.acquireAsync(1);
            assertThat(behind).isNotDone();

            semaphore.setMaxPermits(2); // 1 available now: enough for the waiter behind

            assertThat(Await.failure(head)).isInstanceOf(IllegalStateException.class);
            assertThat(behind).isDone();
            assertThat(semaphore.availablePermits()).isZero();
        }

        @ParameterizedTest
        @MethodSource("dev.signalbox.AcquireMethod#weighted")
        void laterRequestsAboveTheNewMaximumFailAtOnce(AcquireMethod method) {
            BoundedSemaphore semaphore = BoundedSemaphore.of(3);

            semaphore.setMaxPermits(2);

            assertThatThrownBy(() -> method.invokeExpectingFailure(semaphore, 3))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("must not exceed the bound 2")
                    .hasMessageContaining("got 3");
            assertThat(semaphore.availablePermits()).isEqualTo(2);
        }

        @Test
        void shrinkingAndGrowingBackRestoresTheCount() {
            BoundedSemaphore semaphore = BoundedSemaphore.of(4);
            semaphore.tryAcquire();

            semaphore.setMaxPermits(1);
            assertThat(semaphore.availablePermits()).isZero();
            semaphore.setMaxPermits(4);

            assertThat(semaphore.availablePermits()).isEqualTo(3);
            semaphore.release();
            assertThat(semaphore.availablePermits()).isEqualTo(4);
        }

        @Test
        void resizingAPausedSemaphoreServesNobodyUntilResumed() {
            BoundedSemaphore semaphore = BoundedSemaphore.of(1);
            semaphore.tryAcquire();
            semaphore.pause();
            CompletableFuture<Void> waiter = semaphore.acquireAsync();

            semaphore.setMaxPermits(2);

            assertThat(waiter).isNotDone();
            semaphore.resume();
            assertThat(waiter).isDone();
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -1, Integer.MIN_VALUE})
    void aMaximumBelowOneIsRefusedAndChangesNothing(int maxPermits) {
        BoundedSemaphore semaphore = BoundedSemaphore.of(2);

        assertThatThrownBy(() -> semaphore.setMaxPermits(maxPermits))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("permits must be positive, got " + maxPermits);
        assertThat(semaphore.maxPermits()).isEqualTo(2);
    }

    @Test
    void theSnapshotShowsTheNewMaximumAndTheNegativeCount() {
        BoundedSemaphore semaphore = BoundedSemaphore.of(3);
        semaphore.tryAcquire(3);

        semaphore.setMaxPermits(1);

        SemaphoreSnapshot snapshot = semaphore.snapshot();
        assertThat(snapshot.maxPermits()).hasValue(1);
        assertThat(snapshot.availablePermits()).isEqualTo(-2);
    }
}
