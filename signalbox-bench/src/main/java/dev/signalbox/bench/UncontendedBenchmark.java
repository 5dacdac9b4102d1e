package dev.signalbox.bench;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import com.ibm.asyncutil.locks.FairAsyncSemaphore;

import dev.signalbox.Permit;
import dev.signalbox.Semaphore;
import dev.signalbox.bench.state.KotlinxPermits;
import dev.signalbox.bench.state.Contender;

/**
 * Scenario 1, uncontended: one thread acquires one permit of a semaphore of one and releases it,
 * nobody else present. This is the fast path every caller pays; the target is the time of
 * j.u.c.'s non-fair {@code acquire} and zero allocation (run with {@code -prof gc}).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(3)
public class UncontendedBenchmark {

    /** One semaphore of one permit per contender, private to the measuring thread. */
    @State(Scope.Thread)
    public static class Semaphores {
        Semaphore ours;
        java.util.concurrent.Semaphore jucFair;
        java.util.concurrent.Semaphore jucNonFair;
        KotlinxPermits kotlinx;
        FairAsyncSemaphore asyncUtil;
        /** The baseline's "permits": a plain field, no atomicity, no ordering. */
        int unsynchronized;

        @Setup
        public void setUp() {
            ours = Semaphore.of(1);
            jucFair = new java.util.concurrent.Semaphore(1, true);
            jucNonFair = new java.util.concurrent.Semaphore(1, false);
            kotlinx = (KotlinxPermits) Contender.KOTLINX.async(1);
            asyncUtil = new FairAsyncSemaphore(1);
            unsynchronized = 1;
        }
    }

    @Benchmark
    public int baseline(Semaphores s) {
        s.unsynchronized--;
        return s.unsynchronized++;
    }

    @Benchmark
    public void oursAcquire(Semaphores s) throws InterruptedException {
        s.ours.acquire();
        s.ours.release();
    }

    @Benchmark
    public boolean oursTryAcquire(Semaphores s) {
        boolean acquired = s.ours.tryAcquire();
        s.ours.release();
        return acquired;
    }

    @Benchmark
    public CompletableFuture<Void> oursAcquireAsync(Semaphores s) {
        CompletableFuture<Void> granted = s.ours.acquireAsync();
        s.ours.release();
        return granted;
    }

    @Benchmark
    public Permit oursAcquirePermit(Semaphores s) throws InterruptedException {
        Permit permit = s.ours.acquirePermit();
        permit.close();
        return permit;
    }

    @Benchmark
    public void jucFairAcquire(Semaphores s) throws InterruptedException {
        s.jucFair.acquire();
        s.jucFair.release();
    }

    @Benchmark
    public boolean jucFairTryAcquire(Semaphores s) {
        boolean acquired = s.jucFair.tryAcquire();
        s.jucFair.release();
        return acquired;
    }

    @Benchmark
    public void jucNonFairAcquire(Semaphores s) throws InterruptedException {
        s.jucNonFair.acquire();
        s.jucNonFair.release();
    }

    @Benchmark
    public boolean jucNonFairTryAcquire(Semaphores s) {
        boolean acquired = s.jucNonFair.tryAcquire();
        s.jucNonFair.release();
        return acquired;
    }

    @Benchmark
    public boolean kotlinxAcquire(Semaphores s) {
        boolean immediate = s.kotlinx.acquireSuspending();
        s.kotlinx.semaphore().release();
        return immediate;
    }

    @Benchmark
    public boolean kotlinxTryAcquire(Semaphores s) {
        boolean acquired = s.kotlinx.semaphore().tryAcquire();
        s.kotlinx.semaphore().release();
        return acquired;
    }

    @Benchmark
    public Object asyncUtilAcquire(Semaphores s) {
        Object granted = s.asyncUtil.acquire(1);
        s.asyncUtil.release(1);
        return granted;
    }

    @Benchmark
    public boolean asyncUtilTryAcquire(Semaphores s) {
        boolean acquired = s.asyncUtil.tryAcquire(1);
        s.asyncUtil.release(1);
        return acquired;
    }
}
