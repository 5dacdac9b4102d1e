package dev.signalbox.bench;

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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import dev.signalbox.bench.state.BlockingPermits;
import dev.signalbox.bench.state.Contender;

/**
 * Scenario 6, weighted: four platform threads share a semaphore of 16 permits; each takes 8
 * permits on every fourth operation and 1 otherwise, does {@code work} tokens of CPU work while
 * holding them, and releases. Three 8-permit holders cannot fit at once, so large requests queue
 * and must hold back the small ones behind them in a fair semaphore. kotlinx has no weighted
 * acquire and is absent. The score is the time per acquire+release of one thread.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(3)
@Threads(4)
public class WeightedBenchmark {

    /** The semaphore size: two 8-permit requests fill it. */
    static final int PERMITS = 16;
    /** The large request. */
    static final int LARGE = 8;

    /** One shared semaphore of 16 permits per contender. */
    @State(Scope.Benchmark)
    public static class Semaphores {
        /** CPU work done while holding the permits, in {@link Blackhole#consumeCPU} tokens. */
        @Param({"0", "50"})
        public int work;

        BlockingPermits unsynchronized;
        BlockingPermits ours;
        BlockingPermits oursAsync;
        BlockingPermits jucFair;
        BlockingPermits jucNonFair;
        BlockingPermits asyncUtil;

        @Setup
        public void setUp() {
            unsynchronized = Contender.UNSYNCHRONIZED.blocking(PERMITS);
            ours = Contender.OURS.blocking(PERMITS);
            oursAsync = Contender.OURS.joining(PERMITS);
            jucFair = Contender.JUC_FAIR.blocking(PERMITS);
            jucNonFair = Contender.JUC_NON_FAIR.blocking(PERMITS);
            asyncUtil = Contender.ASYNC_UTIL.blocking(PERMITS);
        }
    }

    /** Each thread's position in its 1, 1, 1, 8 request pattern. */
    @State(Scope.Thread)
    public static class Pattern {
        int step;

        int next() {
            return (++step & 3) == 0 ? LARGE : 1;
        }
    }

    private static void weighted(BlockingPermits permits, Pattern pattern, int work) throws InterruptedException {
        int n = pattern.next();
        permits.acquire(n);
        try {
            Blackhole.consumeCPU(work);
        } finally {
            permits.release(n);
        }
    }

    @Benchmark
    public void baseline(Semaphores s, Pattern p) throws InterruptedException {
        weighted(s.unsynchronized, p, s.work);
    }

    @Benchmark
    public void ours(Semaphores s, Pattern p) throws InterruptedException {
        weighted(s.ours, p, s.work);
    }

    @Benchmark
    public void oursAsync(Semaphores s, Pattern p) throws InterruptedException {
        weighted(s.oursAsync, p, s.work);
    }

    @Benchmark
    public void jucFair(Semaphores s, Pattern p) throws InterruptedException {
        weighted(s.jucFair, p, s.work);
    }

    @Benchmark
    public void jucNonFair(Semaphores s, Pattern p) throws InterruptedException {
        weighted(s.jucNonFair, p, s.work);
    }

    @Benchmark
    public void asyncUtil(Semaphores s, Pattern p) throws InterruptedException {
        weighted(s.asyncUtil, p, s.work);
    }
}
