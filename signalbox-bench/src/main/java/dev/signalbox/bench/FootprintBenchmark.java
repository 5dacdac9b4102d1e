package dev.signalbox.bench;

import java.lang.ref.Reference;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntFunction;

import org.openjdk.jmh.annotations.AuxCounters;
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
import org.openjdk.jmh.annotations.Warmup;

import dev.signalbox.bench.state.AsyncPermits;
import dev.signalbox.bench.state.BlockingPermits;
import dev.signalbox.bench.state.Contender;

/**
 * Scenario 4, memory per waiting acquirer: the heap a semaphore's waiters occupy, measured as the
 * difference of the live heap after a full GC with them waiting and before they were created,
 * divided by their number. The result is the {@code bytesPerWaiter} secondary score; the primary
 * score (the time of a shot) only says how long the measurement took.
 *
 * <p>Async: {@code asyncWaiters} pending acquires on a semaphore of 0, each future held by the
 * caller (in an array allocated before the first heap reading, so the array is not counted). The
 * baseline is a bare {@code new CompletableFuture<>()}: what any future-returning API costs.
 *
 * <p>Virtual threads: {@code virtualWaiters} virtual threads blocked in {@code acquire} of a
 * semaphore of 0, counted once all are parked. The baseline is a virtual thread parked with
 * {@code LockSupport.park()} and nothing else: the thread itself (its object and its unmounted
 * stack), which is what the target "no more than the thread itself plus 48 bytes" subtracts.
 *
 * <p>The fork runs the serial collector in a fixed heap, whose {@code System.gc()} compacts the
 * whole heap, so the used-heap readings are exact to the object.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 1)
@Measurement(iterations = 3)
@Fork(value = 1, jvmArgsAppend = {"-XX:+UseSerialGC", "-Xms4g", "-Xmx4g"})
public class FootprintBenchmark {

    /** The waiter counts of the issue: a million async waiters, a hundred thousand virtual threads. */
    @State(Scope.Benchmark)
    public static class Sizes {
        @Param({"1000000"})
        public int asyncWaiters;

        @Param({"100000"})
        public int virtualWaiters;
    }

    /** The measurement, reported by JMH beside the time of the shot. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.EVENTS)
    public static class Footprint {
        /** Heap bytes per waiter; set, not accumulated, by each shot. */
        public double bytesPerWaiter;

        @Setup(Level.Iteration)
        public void reset() {
            bytesPerWaiter = 0;
        }
    }

    /** The live heap after full collections, in bytes. */
    private static long liveHeap() {
        Runtime runtime = Runtime.getRuntime();
        long used = Long.MAX_VALUE;
        // Repeat until the reading is stable: finalization-free, but reference processing may lag a cycle.
        for (int i = 0; i < 5; i++) {
            System.gc();
            long now = runtime.totalMemory() - runtime.freeMemory();
            if (now == used) {
                break;
            }
            used = now;
        }
        return used;
    }

    private static void measureAsync(IntFunction<AsyncPermits> contender, Sizes sizes, Footprint footprint) {
        int n = sizes.asyncWaiters;
        Object[] held = new Object[n];
        long before = liveHeap();
        AsyncPermits semaphore = contender.apply(0);
        for (int i = 0; i < n; i++) {
            held[i] = semaphore.acquire(1);
        }
        long after = liveHeap();
        for (Object f : held) {
            if (((CompletableFuture<?>) f).isDone()) {
                throw new IllegalStateException("an acquire on a semaphore of 0 completed: " + f);
            }
        }
        footprint.bytesPerWaiter = (double) (after - before) / n;
        // Keep the semaphore (and so its queue) reachable up to the second reading.
        Reference.reachabilityFence(semaphore);
    }

    private static void measureVirtual(BlockingPermits semaphore, Sizes sizes, Footprint footprint)
            throws InterruptedException {
        int n = sizes.virtualWaiters;
        Thread[] threads = new Thread[n];
        ThreadFactory factory = Thread.ofVirtual().factory();
        Runnable waiter = () -> {
            try {
                semaphore.acquire(1);
            } catch (InterruptedException e) {
                throw new IllegalStateException("a waiter was interrupted", e);
            }
        };
        long before = liveHeap();
        for (int i = 0; i < n; i++) {
            threads[i] = factory.newThread(waiter);
            threads[i].start();
        }
        awaitAllWaiting(threads);
        long after = liveHeap();
        footprint.bytesPerWaiter = (double) (after - before) / n;
        // Let them all through, and wait for them, before the next shot. The baseline's threads need
        // the unpark; the semaphores' waiters take it as a spurious wake-up, which they tolerate.
        semaphore.release(n);
        for (Thread t : threads) {
            LockSupport.unpark(t);
        }
        for (Thread t : threads) {
            if (!t.join(Duration.ofSeconds(30))) {
                throw new IllegalStateException("a released waiter did not finish within 30 s: " + t);
            }
        }
    }

    private static void awaitAllWaiting(Thread[] threads) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        for (Thread t : threads) {
            while (t.getState() != Thread.State.WAITING) {
                if (System.nanoTime() - deadline > 0) {
                    throw new IllegalStateException("a waiter did not block within 60 s: " + t + " " + t.getState());
                }
                Thread.onSpinWait();
                Thread.yield();
            }
        }
    }

    @Benchmark
    public void baselineAsync(Sizes sizes, Footprint footprint) {
        measureAsync(permits -> new AsyncPermits() {
            @Override
            public CompletableFuture<?> acquire(int n) {
                return new CompletableFuture<Void>();
            }

            @Override
            public void release(int n) {
                throw new UnsupportedOperationException("the baseline is never granted");
            }
        }, sizes, footprint);
    }

    @Benchmark
    public void oursAsync(Sizes sizes, Footprint footprint) {
        measureAsync(Contender.OURS::async, sizes, footprint);
    }

    @Benchmark
    public void kotlinx(Sizes sizes, Footprint footprint) {
        measureAsync(Contender.KOTLINX::async, sizes, footprint);
    }

    @Benchmark
    public void asyncUtil(Sizes sizes, Footprint footprint) {
        measureAsync(Contender.ASYNC_UTIL::async, sizes, footprint);
    }

    @Benchmark
    public void baselineVirtual(Sizes sizes, Footprint footprint) throws InterruptedException {
        measureVirtual(new ParkedThreads(), sizes, footprint);
    }

    @Benchmark
    public void oursVirtual(Sizes sizes, Footprint footprint) throws InterruptedException {
        measureVirtual(Contender.OURS.blocking(0), sizes, footprint);
    }

    @Benchmark
    public void jucFairVirtual(Sizes sizes, Footprint footprint) throws InterruptedException {
        measureVirtual(Contender.JUC_FAIR.blocking(0), sizes, footprint);
    }

    @Benchmark
    public void jucNonFairVirtual(Sizes sizes, Footprint footprint) throws InterruptedException {
        measureVirtual(Contender.JUC_NON_FAIR.blocking(0), sizes, footprint);
    }

    /**
     * The virtual-thread baseline: {@code acquire} parks until {@code release} has been called and
     * the thread unparked, with no queue and no node, so what remains is the thread itself.
     */
    private static final class ParkedThreads implements BlockingPermits {
        private volatile boolean released;

        @Override
        public void acquire(int permits) {
            while (!released) {
                LockSupport.park(this);
            }
        }

        @Override
        public void release(int permits) {
            released = true;
        }
    }
}
