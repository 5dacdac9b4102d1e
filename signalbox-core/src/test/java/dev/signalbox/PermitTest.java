package dev.signalbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.RepeatedTest;

/** {@link Permit}: a handle that gives its permits back exactly once. */
@Tag("unit")
class PermitTest {

    @Nested
    class ReleasesExactlyOnce {

        @Test
        void closeReleasesWhatTheHandleHolds() throws InterruptedException {
            Semaphore semaphore = Semaphore.of(3);
            Permit permit = semaphore.acquirePermit(2);
            assertThat(permit.permits()).isEqualTo(2);
            assertThat(permit.isReleased()).isFalse();
            assertThat(semaphore.availablePermits()).isEqualTo(1);

            permit.close();

            assertThat(permit.isReleased()).isTrue();
            assertThat(semaphore.availablePermits()).isEqualTo(3);
        }

        @Test
        void aSecondCloseDoesNothing() throws InterruptedException {
            // Unbounded, so a second release would show as an extra permit rather than an exception.
            Semaphore semaphore = Semaphore.of(1);
            Permit permit = semaphore.acquirePermit();
            permit.close();
            permit.close();
            assertThat(semaphore.availablePermits()).isEqualTo(1);
        }

        @RepeatedTest(20)
        void concurrentClosesReleaseOnce() {
            int closers = 4;
            Semaphore semaphore = Semaphore.of(1);
            Permit permit = Await.get(semaphore.acquirePermitAsync());
            CyclicBarrier start = new CyclicBarrier(closers);
            List<Thread> threads = new ArrayList<>();
            for (int i = 0; i < closers; i++) {
                threads.add(Thread.ofPlatform().start(() -> {
                    try {
                        start.await();
                    } catch (Exception e) {
                        throw new AssertionError(e);
                    }
                    permit.close();
                }));
            }
            threads.forEach(Await::join);
            assertThat(semaphore.availablePermits()).isEqualTo(1);
            assertThat(permit.isReleased()).isTrue();
        }

        @Test
        void closingHandsThePermitToTheNextWaiter() throws InterruptedException {
            Semaphore semaphore = Semaphore.of(1);
            Permit permit = semaphore.acquirePermit();
            CompletableFuture<Permit> next = semaphore.acquirePermitAsync();
            assertThat(next).isNotDone();
            permit.close();
            assertThat(next).isCompleted();
            assertThat(semaphore.availablePermits()).isZero();
            Await.get(next).close();
            assertThat(semaphore.availablePermits()).isEqualTo(1);
        }

        @Test
        void tryWithResourcesReleasesWhenTheBodyThrows() throws InterruptedException {
            Semaphore semaphore = Semaphore.of(1);
            try (Permit permit = semaphore.acquirePermit()) {
                assertThat(semaphore.availablePermits()).isEqualTo(1 - permit.permits());
                throw new IllegalStateException("the body failed");
            } catch (IllegalStateException expected) {
                assertThat(semaphore.availablePermits()).isEqualTo(1);
            }
        }
    }

    @Nested
    class ToString {

        @Test
        void showsPermitsAndWhetherReleased() throws InterruptedException {
            Permit permit = Semaphore.of(2).acquirePermit(2);
            assertThat(permit).hasToString("Permit[permits=2]");
            permit.close();
            assertThat(permit).hasToString("Permit[permits=2, released]");
        }
    }
}
