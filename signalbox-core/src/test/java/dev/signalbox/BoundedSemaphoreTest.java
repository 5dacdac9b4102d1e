package dev.signalbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** {@link BoundedSemaphore}: the shared rules of {@link InProcessSemaphoreRules}, and the release bound. */
@Tag("unit")
class BoundedSemaphoreTest extends InProcessSemaphoreRules {

    @Override
    Semaphore newSemaphore(int permits) {
        return BoundedSemaphore.of(permits);
    }

    @Nested
    class Bounded {

        @Test
        void aReleaseAboveTheInitialValueIsRefusedAndChangesNothing() {
            BoundedSemaphore semaphore = BoundedSemaphore.of(2);
            assertThatThrownBy(semaphore::release)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("released too many times");
            assertState(semaphore, 2, 0);
            assertThat(semaphore.tryAcquire()).isTrue();
            semaphore.release();
            assertThatThrownBy(semaphore::release)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("released too many times");
            assertState(semaphore, 2, 0);
        }

        @Test
        void aReleaseOfSeveralThatWouldCrossTheBoundChangesNothing() {
            BoundedSemaphore semaphore = BoundedSemaphore.of(3);
            assertThat(semaphore.tryAcquire(2)).isTrue();
            assertThatThrownBy(() -> semaphore.release(3))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("released too many times");
            assertState(semaphore, 1, 0);
            semaphore.release(2);
            assertState(semaphore, 3, 0);
        }

        @Test
        void anOverReleaseWithWaitersChangesNothing() {
            BoundedSemaphore semaphore = BoundedSemaphore.of(3);
            assertThat(semaphore.tryAcquire(3)).isTrue();
            CompletableFuture<Void> waiter = semaphore.acquireAsync(3);
            semaphore.release(2);
            assertThatThrownBy(() -> semaphore.release(2))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("released too many times");
            assertThat(waiter).isNotDone();
            assertState(semaphore, 2, 1);
            semaphore.release();
            assertThat(waiter).isCompleted();
            assertState(semaphore, 0, 0);
        }

        @Test
        void aBoundOfZeroRefusesEveryRelease() {
            BoundedSemaphore semaphore = BoundedSemaphore.of(0);
            assertThat(semaphore.maxPermits()).isZero();
            assertThatThrownBy(semaphore::release).isInstanceOf(IllegalStateException.class);
            assertState(semaphore, 0, 0);
        }

        @Test
        void theBoundIsTheInitialValue() {
            assertThat(BoundedSemaphore.of(5).maxPermits()).isEqualTo(5);
        }

        @ParameterizedTest
        @MethodSource("dev.signalbox.AcquireMethod#weighted")
        void aRequestAboveTheBoundFailsAtOnceInsteadOfWaitingForever(AcquireMethod method) {
            BoundedSemaphore semaphore = BoundedSemaphore.of(2);
            assertThatThrownBy(() -> method.invokeExpectingFailure(semaphore, 3))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("got 3");
            assertThatThrownBy(() -> semaphore.tryAcquire(3)).isInstanceOf(IllegalArgumentException.class);
            assertState(semaphore, 2, 0);
        }

        @Test
        void aPermitHandleWhoseReleaseIsRefusedStaysUnreleased() throws InterruptedException {
            BoundedSemaphore semaphore = BoundedSemaphore.of(1);
            Permit permit = semaphore.acquirePermit();
            // A raw release gives back the handle's permit behind its back; closing it would over-release.
            semaphore.release();
            assertThatThrownBy(permit::close).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("released too many times");
            assertThat(permit.isReleased()).isFalse();
            assertState(semaphore, 1, 0);
        }
    }

    @Nested
    class ToString {

        @Test
        void showsPermitsMaximumAndWaiters() {
            BoundedSemaphore semaphore = BoundedSemaphore.of(2);
            assertThat(semaphore).hasToString("BoundedSemaphore[permits=2, maxPermits=2, waiters=0]");
            assertThat(semaphore.tryAcquire(2)).isTrue();
            CompletableFuture<Void> waiter = semaphore.acquireAsync();
            assertThat(semaphore).hasToString("BoundedSemaphore[permits=0, maxPermits=2, waiters=1]");
            waiter.cancel(false);
        }
    }
}
