package dev.signalbox.bench;

import java.io.IOException;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.ThreadParams;

import dev.signalbox.bench.state.RedisContender;
import dev.signalbox.bench.state.RedisPermits;
import dev.signalbox.bench.state.RedisRig;

/**
 * Scenario 7b, contended on Redis: {@value #CLIENTS} clients (each its own connections, as
 * separate processes would be) with {@value #WAITERS} threads each, 32 in all, take turns on a
 * semaphore of {@value #PERMITS} permits: acquire, release at once (confirmed by Redis), again.
 * In steady state 28 threads wait, so almost every grant is a hand-off from a release to a waiter.
 *
 * <p>Throughput (operations per ms, all threads together) is the hand-off rate. {@code SampleTime}
 * gives the distribution of one operation's time as a thread sees it: its wait in the line of
 * 28 plus its own release; p99 ÷ p50 shows how evenly the permits go round (a FIFO semaphore
 * keeps it near 1, a barging one lets some threads through many times while others wait).
 */
@BenchmarkMode({Mode.Throughput, Mode.SampleTime})
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 2)
@Fork(3)
@Threads(RedisContendedBenchmark.CLIENTS * RedisContendedBenchmark.WAITERS)
public class RedisContendedBenchmark {

    static final int CLIENTS = 8;
    static final int WAITERS = 4;
    static final int PERMITS = 4;

    /** A server and {@value #CLIENTS} clients of the benchmark method's contender. */
    @State(Scope.Benchmark)
    public static class Redis {
        RedisRig rig;

        @Setup
        public void setUp(BenchmarkParams params) throws IOException, InterruptedException {
            rig = RedisRig.start(RedisContender.ofMethod(RedisBenchmark.method(params)), CLIENTS, PERMITS);
        }

        @TearDown
        public void tearDown() throws InterruptedException {
            rig.close();
        }
    }

    /** A thread's client: thread i uses client i mod {@value #CLIENTS}. */
    @State(Scope.Thread)
    public static class Seat {
        RedisPermits permits;

        @Setup
        public void setUp(Redis redis, ThreadParams thread) {
            permits = redis.rig.client(thread.getThreadIndex() % CLIENTS);
        }
    }

    private static Object cycle(RedisPermits permits) throws InterruptedException {
        Object handle = permits.acquire();
        permits.release(handle);
        return handle;
    }

    @Benchmark
    public Object ours(Seat s) throws InterruptedException {
        return cycle(s.permits);
    }

    @Benchmark
    public Object redissonExpirable(Seat s) throws InterruptedException {
        return cycle(s.permits);
    }

    @Benchmark
    public Object redissonSemaphore(Seat s) throws InterruptedException {
        return cycle(s.permits);
    }
}
