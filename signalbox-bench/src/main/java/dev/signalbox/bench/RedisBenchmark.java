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

import dev.signalbox.bench.state.RedisContender;
import dev.signalbox.bench.state.RedisPermits;
import dev.signalbox.bench.state.RedisRig;

/**
 * Scenario 7a, a free permit on Redis: one thread of one client acquires one permit of a
 * semaphore of one and releases it, nobody else present; the release is confirmed by Redis before
 * the next acquire. Each fork starts its own {@code redis-server} on a free loopback port and
 * stops it at the end. Throughput (operations per ms; one operation is an acquire and a release)
 * and the distribution of the time of one ({@code SampleTime}: p50, p99).
 *
 * <p>Ours takes a free permit with one {@code EVALSHA} and releases it with one, so an operation
 * is two round trips, as it is for Redisson; the server's own limit for that is the
 * {@code redis-benchmark} EVALSHA rate with one client, which {@code bin/bench redis} measures.
 */
@BenchmarkMode({Mode.Throughput, Mode.SampleTime})
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 2)
@Fork(3)
@Threads(1)
public class RedisBenchmark {

    /** A server and one client of the benchmark method's contender, on a semaphore of one permit. */
    @State(Scope.Benchmark)
    public static class Redis {
        RedisRig rig;
        RedisPermits permits;

        @Setup
        public void setUp(BenchmarkParams params) throws IOException, InterruptedException {
            rig = RedisRig.start(RedisContender.ofMethod(method(params)), 1, 1);
            permits = rig.client(0);
        }

        @TearDown
        public void tearDown() throws InterruptedException {
            rig.close();
        }
    }

    /** The benchmark method's name, from JMH's fully qualified benchmark name. */
    static String method(BenchmarkParams params) {
        String benchmark = params.getBenchmark();
        return benchmark.substring(benchmark.lastIndexOf('.') + 1);
    }

    private static Object cycle(RedisPermits permits) throws InterruptedException {
        Object handle = permits.acquire();
        permits.release(handle);
        return handle;
    }

    @Benchmark
    public Object ours(Redis r) throws InterruptedException {
        return cycle(r.permits);
    }

    @Benchmark
    public Object redissonExpirable(Redis r) throws InterruptedException {
        return cycle(r.permits);
    }

    @Benchmark
    public Object redissonSemaphore(Redis r) throws InterruptedException {
        return cycle(r.permits);
    }
}
