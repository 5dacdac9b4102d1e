package dev.signalbox.bench;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
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
 * Scenario 3, the seed tutorial's workload at scale: {@code workers} workers go through a
 * semaphore of {@code permits}; each acquires, yields once while holding the permit, releases,
 * and the run ends when all are done (asyncio's {@code async with sem: await asyncio.sleep(0)}
 * under {@code asyncio.gather}; {@code seed_workload.py} is the same program for CPython).
 *
 * <p>Async contenders: the benchmark thread starts the workers, running each one's first step
 * as it starts it: {@code acquire}, then, when the permit is granted, the worker yields by
 * scheduling its second step on a {@link ForkJoinPool} of one thread per core, which releases
 * ({@link AsyncPermits#acquireThenRunAsync}: a future's {@code thenRunAsync} for ours and
 * async-util, a suspended continuation for kotlinx, each library's own idiom).
 * This is the order asyncio runs them in: {@code gather} starts every task, and each runs up to
 * its first suspension before any resumes from {@code sleep(0)}, so nearly all workers queue on
 * the semaphore. (Starting the workers as pool tasks instead let each pool thread run a worker's
 * release step before starting the next worker, so the semaphore was never contended.)
 *
 * <p>Virtual-thread contenders: each worker is a virtual thread that blocks in {@code acquire},
 * calls {@link Thread#yield()}, and releases; the JDK's scheduler decides the interleaving, the
 * same for every contender. The score is the time for all workers; workers per second is
 * {@code workers / score}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(3)
public class SeedWorkloadBenchmark {

    /** The contenders, each a semaphore of {@code permits}, and the pool the async ones run on. */
    @State(Scope.Benchmark)
    public static class Workload {
        @Param({"10000", "100000"})
        public int workers;

        @Param({"100"})
        public int permits;

        ForkJoinPool pool;
        ThreadFactory virtualThreads;
        AsyncPermits unsynchronizedAsync;
        AsyncPermits oursAsync;
        AsyncPermits kotlinx;
        AsyncPermits asyncUtil;
        BlockingPermits unsynchronizedVirtual;
        BlockingPermits oursVirtual;
        BlockingPermits jucFairVirtual;
        BlockingPermits jucNonFairVirtual;

        @Setup
        public void setUp() {
            // asyncMode: FIFO scheduling of forked tasks, an event loop's order.
            pool = new ForkJoinPool(Runtime.getRuntime().availableProcessors(),
                    ForkJoinPool.defaultForkJoinWorkerThreadFactory, null, true);
            virtualThreads = Thread.ofVirtual().name("worker-", 0).factory();
            unsynchronizedAsync = Contender.UNSYNCHRONIZED.async(permits);
            oursAsync = Contender.OURS.async(permits);
            kotlinx = Contender.KOTLINX.async(permits);
            asyncUtil = Contender.ASYNC_UTIL.async(permits);
            unsynchronizedVirtual = Contender.UNSYNCHRONIZED.blocking(permits);
            oursVirtual = Contender.OURS.blocking(permits);
            jucFairVirtual = Contender.JUC_FAIR.blocking(permits);
            jucNonFairVirtual = Contender.JUC_NON_FAIR.blocking(permits);
        }

        @TearDown
        public void tearDown() throws InterruptedException {
            pool.shutdownNow();
            if (!pool.awaitTermination(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the worker pool did not stop within 10 s");
            }
        }
    }

    private static void runAsync(AsyncPermits permits, Workload w) throws InterruptedException {
        CountDownLatch done = new CountDownLatch(w.workers);
        ForkJoinPool pool = w.pool;
        Runnable releaseStep = () -> {
            permits.release(1);
            done.countDown();
        };
        for (int i = 0; i < w.workers; i++) {
            // The worker's first step, up to its first suspension, runs as it is started.
            permits.acquireThenRunAsync(releaseStep, pool);
        }
        await(done);
    }

    private static void runVirtual(BlockingPermits permits, Workload w) throws InterruptedException {
        CountDownLatch done = new CountDownLatch(w.workers);
        Runnable worker = () -> {
            try {
                permits.acquire(1);
                try {
                    Thread.yield();
                } finally {
                    permits.release(1);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            done.countDown();
        };
        for (int i = 0; i < w.workers; i++) {
            w.virtualThreads.newThread(worker).start();
        }
        await(done);
    }

    private static void await(CountDownLatch done) throws InterruptedException {
        if (!done.await(60, TimeUnit.SECONDS)) {
            throw new IllegalStateException("workers still running after 60 s: " + done.getCount() + " left");
        }
    }

    @Benchmark
    public void baselineAsync(Workload w) throws InterruptedException {
        runAsync(w.unsynchronizedAsync, w);
    }

    @Benchmark
    public void oursAsync(Workload w) throws InterruptedException {
        runAsync(w.oursAsync, w);
    }

    @Benchmark
    public void kotlinx(Workload w) throws InterruptedException {
        runAsync(w.kotlinx, w);
    }

    @Benchmark
    public void asyncUtil(Workload w) throws InterruptedException {
        runAsync(w.asyncUtil, w);
    }

    @Benchmark
    public void baselineVirtual(Workload w) throws InterruptedException {
        runVirtual(w.unsynchronizedVirtual, w);
    }

    @Benchmark
    public void oursVirtual(Workload w) throws InterruptedException {
        runVirtual(w.oursVirtual, w);
    }

    @Benchmark
    public void jucFairVirtual(Workload w) throws InterruptedException {
        runVirtual(w.jucFairVirtual, w);
    }

    @Benchmark
    public void jucNonFairVirtual(Workload w) throws InterruptedException {
        runVirtual(w.jucNonFairVirtual, w);
    }
}
