package dev.signalbox.redis.fault;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.TestReporter;

import dev.signalbox.Permit;
import dev.signalbox.redis.LeasedPermit;
import dev.signalbox.redis.RedisSemaphore;
import dev.signalbox.redis.RedisSemaphoreException;
import dev.signalbox.redis.testing.FenceObserver;
import dev.signalbox.redis.testing.RedisServer;
import dev.signalbox.redis.testing.TcpProxy;

/** Network faults between one client and Redis: latency, a partition (blackhole), resets. */
class ProxyFaultTest extends FaultTestBase {

    ProxyFaultTest(RedisServer server, TestInfo test) {
        super(server, test);
    }

    @Test
    void steadyLatencyBelowTheLeaseCausesNoLoss() throws Exception {
        try (TcpProxy proxy = new TcpProxy(server.port())) {
            RedisSemaphore slow = client(proxy.uri(), Duration.ofMillis(1500)).semaphore(name, 1);
            LeasedPermit permit = slow.acquirePermit();
            proxy.delay(150); // 300 ms per round trip

            assertThat(client(server.uri()).semaphore(name, 1).tryAcquirePermit(1, Duration.ofSeconds(3))).isEmpty();

            assertThat(permit.isValid()).isTrue();
            assertThat(permit.lost().toCompletableFuture()).isNotDone();
            proxy.delay(0);
            permit.releaseAsync().get(5, TimeUnit.SECONDS);
            awaitAllFree(slow);
        }
    }

    @Test
    void aPartitionedHolderLosesItsLeaseBeforeAnyoneElseIsGrantedIt(TestReporter reporter) throws Exception {
        try (TcpProxy proxy = new TcpProxy(server.port())) {
            RedisSemaphore partitioned = client(proxy.uri()).semaphore(name, 1);
            RedisSemaphore healthy = client(server.uri()).semaphore(name, 1);
            LeasedPermit permit = partitioned.acquirePermit();
            CompletableFuture<Long> lostAt = permit.lost().toCompletableFuture().thenApply(v -> System.nanoTime());
            CompletableFuture<LeasedPermit> waiter = healthy.acquireLeaseAsync(1);

            proxy.blackhole();
            long cut = System.nanoTime();
            LeasedPermit taken = waiter.get(10, TimeUnit.SECONDS);
            long grantedAt = System.nanoTime();

            assertThat(lostAt).isDone();
            assertThat(lostAt.get()).as("holder gave up before the grant").isLessThan(grantedAt);
            assertThat((lostAt.get() - cut) / 1_000_000).isLessThanOrEqualTo(LEASE.toMillis());
            assertThat(taken.fencingToken()).isGreaterThan(permit.fencingToken());
            reporter.publishEntry("measured", "partition: holder lost after " + (lostAt.get() - cut) / 1_000_000
                    + " ms, next holder granted after " + (grantedAt - cut) / 1_000_000 + " ms");

            proxy.heal();
            // Its late renewals and its release must not disturb the new holder, nor free a permit twice.
            permit.close();
            assertThat(healthy.tryAcquirePermit(1, Duration.ofMillis(1500))).isEmpty();
            assertThat(taken.isValid()).isTrue();
            assertThat(healthy.snapshot().availablePermits()).isZero();
            taken.close();
            awaitAllFree(healthy);
        }
    }

    @Test
    void connectionResetsAndDelaysNeverBreakTheInvariants(TestReporter reporter) throws Exception {
        int max = 2;
        FenceObserver observer = new FenceObserver(max);
        List<TcpProxy> proxies = new ArrayList<>();
        List<RedisSemaphore> handles = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            TcpProxy proxy = new TcpProxy(server.port());
            proxies.add(proxy);
            handles.add(client(proxy.uri(), Duration.ofSeconds(2)).semaphore(name, max));
        }
        AtomicBoolean running = new AtomicBoolean(true);
        List<String> lateOutcomes = new java.util.concurrent.CopyOnWriteArrayList<>();
        ConcurrentHashMap<String, Integer> outcomes = new ConcurrentHashMap<>();
        Duration timeout = Duration.ofMillis(1500);
        long bound = timeout.toMillis() + 2 * COMMAND_TIMEOUT.toMillis() + 500;
        try (ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int w = 0; w < 6; w++) {
                RedisSemaphore semaphore = handles.get(w % handles.size());
                String who = "worker-" + w;
                workers.submit(() -> {
                    while (running.get()) {
                        long start = System.nanoTime();
                        String outcome;
                        try {
                            Optional<Permit> permit = semaphore.tryAcquirePermit(1, timeout);
                            outcome = permit.isPresent() ? "granted" : "timed out";
                            if (permit.isPresent()) {
                                LeasedPermit leased = (LeasedPermit) permit.get();
                                if (observer.enter(who, leased)) {
                                    Thread.sleep(ThreadLocalRandom.current().nextInt(5, 30)); // work inside
                                    observer.exit(leased);
                                }
                                leased.close();
                            }
                        } catch (RedisSemaphoreException e) {
                            outcome = e.getClass().getSimpleName();
                        }
                        long took = millisSince(start);
                        outcomes.merge(outcome, 1, Integer::sum);
                        if (took > bound && !outcome.equals("granted")) {
                            lateOutcomes.add(who + ": " + outcome + " after " + took + " ms");
                        }
                    }
                    return null;
                });
            }
            // The nemesis: resets and latency spikes, one proxy at a time, for about 6 s.
            ThreadLocalRandom random = ThreadLocalRandom.current();
            for (int round = 0; round < 20; round++) {
                TcpProxy proxy = proxies.get(random.nextInt(proxies.size()));
                if (random.nextBoolean()) {
                    proxy.resetAll();
                } else {
                    proxy.delay(random.nextInt(50, 250));
                }
                Thread.sleep(300); // the fault lasts this long
                proxy.delay(0);
            }
            running.set(false);
        }
        for (TcpProxy proxy : proxies) {
            proxy.close();
        }
        reporter.publishEntry("measured", "resets and delays: outcomes " + outcomes);
        assertThat(observer.violations()).isEmpty();
        assertThat(lateOutcomes).as("acquires that ended later than timeout + bound").isEmpty();
        assertThat(outcomes.getOrDefault("granted", 0)).isGreaterThan(20);
        awaitAllFree(client(server.uri()).semaphore(name, max));
    }
}
