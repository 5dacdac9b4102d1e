package dev.signalbox.bench;

import java.time.Duration;
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
import org.openjdk.jmh.annotations.Warmup;

import dev.signalbox.Permit;
import dev.signalbox.Semaphore;
import dev.signalbox.SemaphoreListener;

/**
 * What observation costs the uncontended fast path: one thread takes and returns one permit of a
 * semaphore of one, raw and through a {@link Permit} handle, with each observation feature on by
 * itself ({@code observation}) against {@code off}, a semaphore built without any. The target is
 * {@code off} equal to {@link UncontendedBenchmark}'s {@code oursTryAcquire} (nothing paid when
 * off), and features that are meant to stay on in production (totals, sampled leak detection,
 * long-wait events) within a few nanoseconds of it.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(3)
public class ObservationBenchmark {

    /** A semaphore of one permit observed as {@link #observation} says, private to the measuring thread. */
    @State(Scope.Thread)
    public static class Observed {

        @Param({"off", "totals", "holders", "leaks-sampled-128", "leaks-every-permit", "listener", "long-waits"})
        public String observation;

        Semaphore semaphore;

        @Setup
        public void setUp() {
            // "off" touches nothing but Semaphore.of, so this class also measures builds that predate
            // the builder (put their classes first on the class path, see the README).
            semaphore = switch (observation) {
                case "off" -> Semaphore.of(1);
                case "totals" -> named().recordTotals(true).build();
                case "holders" -> named().trackHolders(true).build();
                case "leaks-sampled-128" -> named().detectLeaks(128).build();
                case "leaks-every-permit" -> named().detectLeaks(1).build();
                case "listener" -> named().listener(new SemaphoreListener() {}).build();
                case "long-waits" -> named().reportLongWaits(Duration.ofMillis(20)).build();
                default -> throw new IllegalArgumentException("unknown observation: " + observation);
            };
        }

        private static Semaphore.Builder named() {
            return Semaphore.builder(1).name("bench");
        }
    }

    @Benchmark
    public boolean tryAcquireRelease(Observed s) {
        boolean acquired = s.semaphore.tryAcquire();
        s.semaphore.release();
        return acquired;
    }

    @Benchmark
    public int acquirePermitClose(Observed s) throws InterruptedException {
        Permit permit = s.semaphore.acquirePermit();
        permit.close();
        return permit.permits();
    }
}
