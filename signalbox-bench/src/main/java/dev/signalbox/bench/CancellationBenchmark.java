package dev.signalbox.bench;

import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import dev.signalbox.Semaphore;
import dev.signalbox.bench.state.AsyncPermits;
import dev.signalbox.bench.state.Contender;
import dev.signalbox.bench.state.KotlinxPermits;

/**
 * Scenario 5, cancellation cost: {@code waiters} async acquires wait on a semaphore of 0, and the
 * measured shot cancels every one of them in a random order (the same seeded permutation for every
 * contender). The score is the time of the whole shot; divided by {@code waiters} it is the time
 * per cancel, which must not grow with the queue. The baseline cancels plain
 * {@code CompletableFuture}s that no semaphore knows of: the floor the memory system sets for
 * touching that many objects in random order.
 *
 * <p>async-util's {@code FairAsyncSemaphore} cannot withdraw a waiter (cancelling its future
 * leaves the node queued), and j.u.c. has no async acquire, so they are absent.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 10)
@Measurement(iterations = 10)
@Fork(value = 3, jvmArgsAppend = {"-Xms3g", "-Xmx3g"})
public class CancellationBenchmark {

    /** Pending waiters of one contender, refilled before every shot, in a random cancel order. */
    @State(Scope.Thread)
    public abstract static class PendingWaiters {
        @Param({"10000", "1000000"})
        public int waiters;

        CompletableFuture<?>[] inCancelOrder;
        private int[] order;

        @Setup(Level.Trial)
        public void shuffle() {
            order = new int[waiters];
            for (int i = 0; i < waiters; i++) {
                order[i] = i;
            }
            Random random = new Random(42);
            for (int i = waiters - 1; i > 0; i--) {
                int j = random.nextInt(i + 1);
                int t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
            inCancelOrder = new CompletableFuture<?>[waiters];
        }

        @Setup(Level.Iteration)
        public void fill() {
            AsyncPermits permits = semaphoreOfZero();
            for (int i = 0; i < waiters; i++) {
                // The i-th waiter to queue is cancelled at position order[i].
                inCancelOrder[order[i]] = permits.acquire(1);
            }
        }

        @TearDown(Level.Iteration)
        public void check() {
            for (CompletableFuture<?> f : inCancelOrder) {
                if (!f.isCancelled()) {
                    throw new IllegalStateException("a waiter was not cancelled: " + f);
                }
            }
            verifyEmpty();
        }

        /** A fresh semaphore with no permits, so that every acquire waits. */
        abstract AsyncPermits semaphoreOfZero();

        /** Fails if the semaphore still counts a waiter after all were cancelled. */
        abstract void verifyEmpty();
    }

    /** Plain futures: nothing to withdraw. */
    public static class Unsynchronized extends PendingWaiters {
        @Override
        AsyncPermits semaphoreOfZero() {
            return new AsyncPermits() {
                @Override
                public CompletableFuture<?> acquire(int permits) {
                    return new CompletableFuture<Void>();
                }

                @Override
                public void release(int permits) {
                    throw new UnsupportedOperationException("the baseline is never granted");
                }
            };
        }

        @Override
        void verifyEmpty() {
            // No queue to check.
        }
    }

    /** Ours. */
    public static class Ours extends PendingWaiters {
        private Semaphore semaphore;

        @Override
        AsyncPermits semaphoreOfZero() {
            semaphore = Semaphore.of(0);
            return new AsyncPermits() {
                @Override
                public CompletableFuture<?> acquire(int permits) {
                    return semaphore.acquireAsync(permits);
                }

                @Override
                public void release(int permits) {
                    semaphore.release(permits);
                }
            };
        }

        @Override
        void verifyEmpty() {
            if (semaphore.queueLength() != 0 || semaphore.availablePermits() != 0) {
                throw new IllegalStateException("after cancelling every waiter: " + semaphore);
            }
        }
    }

    /** kotlinx, through {@code future {}}: cancelling the future cancels the coroutine. */
    public static class Kotlinx extends PendingWaiters {
        private KotlinxPermits permits;

        @Override
        AsyncPermits semaphoreOfZero() {
            permits = (KotlinxPermits) Contender.KOTLINX.async(0);
            return permits;
        }

        @Override
        void verifyEmpty() {
            if (permits.semaphore().getAvailablePermits() != 0) {
                throw new IllegalStateException("kotlinx permits after cancelling every waiter: "
                        + permits.semaphore().getAvailablePermits());
            }
        }
    }

    private static int cancelAll(PendingWaiters pending) {
        int cancelled = 0;
        for (CompletableFuture<?> f : pending.inCancelOrder) {
            if (f.cancel(false)) {
                cancelled++;
            }
        }
        return cancelled;
    }

    @Benchmark
    public int baseline(Unsynchronized pending) {
        return cancelAll(pending);
    }

    @Benchmark
    public int ours(Ours pending) {
        return cancelAll(pending);
    }

    @Benchmark
    public int kotlinx(Kotlinx pending) {
        return cancelAll(pending);
    }
}
