package dev.signalbox.redis.fault;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.signalbox.redis.RedisSemaphore;
import dev.signalbox.redis.RedisSemaphoreClient;
import dev.signalbox.redis.RedisSemaphoreSnapshot;
import dev.signalbox.redis.testing.Await;
import dev.signalbox.redis.testing.RedisServer;
import dev.signalbox.redis.testing.RedisServerExtension;

/**
 * Shared set-up of the fault tests: one redis-server per class, clients with short timings
 * (lease 1 s unless a test says otherwise, waiter TTL 1 s, recheck 250 ms, commands 500 ms), all
 * closed after each test.
 */
@Tag("redis-fault")
@ExtendWith(RedisServerExtension.class)
abstract class FaultTestBase {

    static final Duration LEASE = Duration.ofSeconds(1);
    static final Duration RECHECK = Duration.ofMillis(250);
    static final Duration WAITER_TTL = Duration.ofSeconds(1);
    static final Duration COMMAND_TIMEOUT = Duration.ofMillis(500);

    final RedisServer server;
    final String name;
    private final List<RedisSemaphoreClient> clients = new ArrayList<>();

    FaultTestBase(RedisServer server, TestInfo test) {
        this.server = server;
        this.name = test.getTestMethod().orElseThrow().getName() + "-" + System.nanoTime();
    }

    RedisSemaphoreClient client(String uri) {
        return client(uri, LEASE);
    }

    RedisSemaphoreClient client(String uri, Duration lease) {
        RedisSemaphoreClient client = RedisSemaphoreClient.builder(uri).leaseTtl(lease).waiterTtl(WAITER_TTL)
                .recheckInterval(RECHECK).commandTimeout(COMMAND_TIMEOUT).build();
        clients.add(client);
        return client;
    }

    @AfterEach
    void closeClients() {
        clients.forEach(RedisSemaphoreClient::close);
    }

    static long millisSince(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    /**
     * Waits until every permit can be taken at once (which also reaps leases past their
     * deadline: reaping is lazy) and, once they are given back, nothing is held or queued. Both
     * in one bounded loop: a cancel of another client may still be on its way, and the grant it
     * returns shows as held until it lands.
     */
    static void awaitAllFree(RedisSemaphore semaphore) throws InterruptedException {
        int max = semaphore.maxPermits();
        try {
            Await.until("all permits back and nobody queued", () -> {
                try {
                    var all = semaphore.tryAcquirePermit(max, Duration.ZERO);
                    all.ifPresent(permit -> ((dev.signalbox.redis.LeasedPermit) permit).releaseAsync().join());
                    RedisSemaphoreSnapshot s = semaphore.snapshot();
                    return all.isPresent() && s.availablePermits() == max && s.holders().isEmpty()
                            && s.waiters().isEmpty();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; last seen: " + semaphore.snapshot(), e);
        }
    }
}
