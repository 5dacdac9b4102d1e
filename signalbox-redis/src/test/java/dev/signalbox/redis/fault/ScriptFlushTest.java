package dev.signalbox.redis.fault;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

import dev.signalbox.redis.LeasedPermit;
import dev.signalbox.redis.RedisSemaphore;
import dev.signalbox.redis.testing.RedisServer;

/** SCRIPT FLUSH empties the server's script cache: calls by SHA fail with NOSCRIPT. */
class ScriptFlushTest extends FaultTestBase {

    ScriptFlushTest(RedisServer server, TestInfo test) {
        super(server, test);
    }

    @Test
    void scriptFlushIsInvisibleToHoldersAndWaiters() throws Exception {
        RedisSemaphore semaphore = client(server.uri()).semaphore(name, 1);
        RedisSemaphore other = client(server.uri()).semaphore(name, 1);
        LeasedPermit permit = semaphore.acquirePermit();
        long evalBefore = server.calls("eval");

        for (int i = 0; i < 5; i++) {
            server.admin().scriptFlush();
            // Renewals and a waiting acquire go on through the flushes; the permit stays held.
            assertThat(other.tryAcquirePermit(1, Duration.ofMillis(400))).isEmpty();
        }
        assertThat(permit.isValid()).isTrue();
        server.admin().scriptFlush();
        permit.releaseAsync().get();
        server.admin().scriptFlush();
        try (LeasedPermit next = other.acquirePermit()) {
            assertThat(next.fencingToken()).isGreaterThan(permit.fencingToken());
        }
        assertThat(server.calls("eval")).as("scripts re-sent by source after NOSCRIPT").isGreaterThan(evalBefore);
        awaitAllFree(semaphore);
    }
}
