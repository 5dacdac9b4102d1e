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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import dev.signalbox.bench.state.AsyncPermits;
import dev.signalbox.bench.state.BlockingPermits;
import dev.signalbox.bench.state.Contender;

/**
 * Scenario 4, memory per waiting acquirer: the heap a semaphore's waiters occupy, measured as the
 * difference of the live heap after a full GC with them waiting and before they were created,
 * divided by their number. The result is the {@code bytesPerWaiter} secondary result of each
 * iteration (JMH sums such event counters over the iterations, so the report takes the median of
 * the per-iteration values from the JSON's raw data); the primary score, the time of a shot, only
 * says how long the measurement took.
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
 * <p>The fork runs G1 in a fixed 4 GB heap; {@code System.gc()} is then a full, compacting
 * collection, so the used-heap readings are exact to within a few kilobytes (the reading is taken
 * until two in a row agree). The serial collector gave readings that still counted the previous
 * shot's waiters, and is not used.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2)
@Measurement(iterations = 5)
@Fork(value = 1, jvmArgsAppend = {"-XX:+UseG1GC", "-Xms4g", "-Xmx4g"})
public class FootprintBenchmark {

    /** The waiter counts of the issue: a million async waiters, a hundred thousand virtual threads. */
    @State(Scope.Benchmark)
    public static class Sizes {
        @Param({"1000000"})
        public int asyncWaiters;

        @Param({"100000"})
        public int virtualWaiters;
    }

    /**
     * The measurement, reported by JMH beside the time of the shot. The first heap reading is
     * taken here, before the shot, from JMH's frame rather than the benchmark's: read inside the
     * benchmark method, it still found the previous shot's semaphore live (-4 bytes per waiter).
     */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.EVENTS)
    public static class Footprint {
        /** Heap bytes per waiter; set, not accumulated, by each shot. */
        public double bytesPerWaiter;

        /** What the shot's callers hold: the async futures, or the virtual threads. */
        Object[] held;
        /** The semaphore the virtual threads wait on, to let them go after the shot. */
        BlockingPermits blocking;
        long before;

        @Setup(Level.Iteration)
        public void readHeapBefore(Sizes sizes) {
            bytesPerWaiter = 0;
            // Allocated before the reading, so the callers' array is not counted.
            held = new Object[Math.max(sizes.asyncWaiters, sizes.virtualWaiters)];
            blocking = null;
            before = liveHeap();
        }

        /** Ends the shot: records the second reading, with {@code n} waiters in {@code held}. */
        void readHeapAfter(int n) {
            bytesPerWaiter = (double) (liveHeap() - before) / n;
        }

        @TearDown(Level.Iteration)
        public void letWaitersGo() throws InterruptedException {
            if (blocking != null) {
                releaseAndJoin(blocking, held);
            }
            held = null;
            blocking = null;
        }
    }

    /** The live heap after full collections, in bytes. */
    private static long liveHeap() {
        Runtime runtime = Runtime.getRuntime();
        long used = Long.MAX_VALUE;
        // Repeat until the reading is stable: reference processing may lag a cycle.
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
        Object[] held = footprint.held;
        AsyncPermits semaphore = contender.apply(0);
        for (int i = 0; i < n; i++) {
            held[i] = semaphore.acquire(1);
        }
        footprint.readHeapAfter(n);
        for (int i = 0; i < n; i++) {
            if (((CompletableFuture<?>) held[i]).isDone()) {
                throw new IllegalStateException("an acquire on a semaphore of 0 completed: " + held[i]);
            }
        }
        // The semaphore, and so its queue, must be live up to the second reading.
        Reference.reachabilityFence(semaphore);
    }

    private static void measureVirtual(BlockingPermits semaphore, Sizes sizes, Footprint footprint) {
        int n = sizes.virtualWaiters;
        Object[] threads = footprint.held;
        footprint.blocking = semaphore;
        ThreadFactory factory = Thread.ofVirtual().factory();
        Runnable waiter = () -> {
            try {
                semaphore.acquire(1);
            } catch (InterruptedException e) {
                throw new IllegalStateException("a waiter was interrupted", e);
            }
        };
        for (int i = 0; i < n; i++) {
            Thread t = factory.newThread(waiter);
            threads[i] = t;
            t.start();
        }
        awaitAllWaiting(threads, n);
        footprint.readHeapAfter(n);
    }

    private static void awaitAllWaiting(Object[] threads, int n) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        for (int i = 0; i < n; i++) {
            Thread t = (Thread) threads[i];
            while (t.getState() != Thread.State.WAITING) {
                if (System.nanoTime() - deadline > 0) {
                    throw new IllegalStateException("a waiter did not block within 60 s: " + t + " " + t.getState());
                }
                Thread.yield();
            }
        }
    }

    /**
     * Lets every waiting thread through and waits for them. The baseline's threads need the
     * unpark; the semaphores' waiters take it as a spurious wake-up, which they tolerate.
     */
    private static void releaseAndJoin(BlockingPermits semaphore, Object[] threads) throws InterruptedException {
        int n = 0;
        while (n < threads.length && threads[n] != null) {
            n++;
        }
        semaphore.release(n);
        for (int i = 0; i < n; i++) {
            LockSupport.unpark((Thread) threads[i]);
        }
        for (int i = 0; i < n; i++) {
            Thread t = (Thread) threads[i];
            if (!t.join(Duration.ofSeconds(30))) {
                throw new IllegalStateException("a released waiter did not finish within 30 s: " + t);
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

    /**
     * kotlinx without {@code future {}}: a bare continuation suspended in {@code acquire}, what a
     * coroutine's suspended state costs at the least (its own frame object adds to it).
     */
    @Benchmark
    public void kotlinxContinuation(Sizes sizes, Footprint footprint) {
        int n = sizes.asyncWaiters;
        AsyncPermits semaphore = Contender.KOTLINX.async(0);
        Runnable neverRun = () -> {
            throw new IllegalStateException("a kotlinx acquire on a semaphore of 0 was granted");
        };
        for (int i = 0; i < n; i++) {
            semaphore.acquireThenRunAsync(neverRun, Runnable::run);
        }
        footprint.readHeapAfter(n);
        Reference.reachabilityFence(semaphore);
    }

    @Benchmark
    public void asyncUtil(Sizes sizes, Footprint footprint) {
        measureAsync(Contender.ASYNC_UTIL::async, sizes, footprint);
    }

    @Benchmark
    public void baselineVirtual(Sizes sizes, Footprint footprint) {
        measureVirtual(new ParkedThreads(), sizes, footprint);
    }

    @Benchmark
    public void oursVirtual(Sizes sizes, Footprint footprint) {
        measureVirtual(Contender.OURS.blocking(0), sizes, footprint);
    }

    @Benchmark
    public void jucFairVirtual(Sizes sizes, Footprint footprint) {
        measureVirtual(Contender.JUC_FAIR.blocking(0), sizes, footprint);
    }

    @Benchmark
    public void jucNonFairVirtual(Sizes sizes, Footprint footprint) {
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
