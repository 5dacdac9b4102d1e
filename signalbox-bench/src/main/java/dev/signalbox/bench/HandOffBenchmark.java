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
 * Scenario 2, fair hand-off: two platform threads take turns on a semaphore of one permit, each
 * doing {@code work} tokens of CPU work ({@link Blackhole#consumeCPU}; 50 tokens is about 0.2 µs
 * here, see the baseline) while holding it. A fair semaphore must hand the permit to the waiting
 * thread on every release, so this measures the wake-up path. The score is the time per
 * acquire+release of one thread.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(3)
@Threads(2)
public class HandOffBenchmark {

    /** One shared semaphore of one permit per contender. */
    @State(Scope.Benchmark)
    public static class Semaphores {
        /** CPU work done while holding the permit, in {@link Blackhole#consumeCPU} tokens. */
        @Param({"0", "50"})
        public int work;

        BlockingPermits unsynchronized;
        BlockingPermits ours;
        BlockingPermits oursAsync;
        BlockingPermits jucFair;
        BlockingPermits jucNonFair;
        BlockingPermits kotlinx;
        BlockingPermits asyncUtil;

        @Setup
        public void setUp() {
            unsynchronized = Contender.UNSYNCHRONIZED.blocking(1);
            ours = Contender.OURS.blocking(1);
            oursAsync = Contender.OURS.joining(1);
            jucFair = Contender.JUC_FAIR.blocking(1);
            jucNonFair = Contender.JUC_NON_FAIR.blocking(1);
            kotlinx = Contender.KOTLINX.blocking(1);
            asyncUtil = Contender.ASYNC_UTIL.blocking(1);
        }
    }

    private static void handOff(BlockingPermits permits, int work) throws InterruptedException {
        permits.acquire(1);
        try {
            Blackhole.consumeCPU(work);
        } finally {
            permits.release(1);
        }
    }

    @Benchmark
    public void baseline(Semaphores s) throws InterruptedException {
        handOff(s.unsynchronized, s.work);
    }

    @Benchmark
    public void ours(Semaphores s) throws InterruptedException {
        handOff(s.ours, s.work);
    }

    @Benchmark
    public void oursAsync(Semaphores s) throws InterruptedException {
        handOff(s.oursAsync, s.work);
    }

    @Benchmark
    public void jucFair(Semaphores s) throws InterruptedException {
        handOff(s.jucFair, s.work);
    }

    @Benchmark
    public void jucNonFair(Semaphores s) throws InterruptedException {
        handOff(s.jucNonFair, s.work);
    }

    @Benchmark
    public void kotlinx(Semaphores s) throws InterruptedException {
        handOff(s.kotlinx, s.work);
    }

    @Benchmark
    public void asyncUtil(Semaphores s) throws InterruptedException {
        handOff(s.asyncUtil, s.work);
    }
}
