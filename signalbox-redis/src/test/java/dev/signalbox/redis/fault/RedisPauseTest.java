package dev.signalbox.redis.fault;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.TestReporter;

import dev.signalbox.redis.LeasedPermit;
import dev.signalbox.redis.RedisSemaphore;
import dev.signalbox.redis.RedisUnavailableException;
import dev.signalbox.redis.testing.RedisServer;

/** SIGSTOP of redis-server: the holder must give up its lease before the server can reap it. */
class RedisPauseTest extends FaultTestBase {

    RedisPauseTest(RedisServer server, TestInfo test) {
        super(server, test);
    }

    @Test
    void aPauseLongerThanTheLeaseEndsTheLeaseAtTheHolderWithinItsTtl(TestReporter reporter) throws Exception {
        RedisSemaphore semaphore = client(server.uri()).semaphore(name, 1);
        LeasedPermit permit = semaphore.acquirePermit();
        // Its client connects only now, to a paused server: its requests wait for the connection.
        RedisSemaphore other = client(server.uri()).semaphore(name, 1);
        CompletableFuture<Long> lostAt = permit.lost().toCompletableFuture().thenApply(v -> System.nanoTime());

        server.pause();
        long paused = System.nanoTime();
        try {
            long waitStart = System.nanoTime();
            Throwable outcome = null;
            try {
                assertThat(other.tryAcquirePermit(1, Duration.ofMillis(1500))).isEmpty();
            } catch (RedisUnavailableException e) {
                outcome = e;
            }
            long waitedMs = millisSince(waitStart);
            // Ends by its timeout plus about one command timeout, with a typed outcome.
            assertThat(waitedMs).isLessThanOrEqualTo(1500 + COMMAND_TIMEOUT.toMillis() + 700);
            reporter.publishEntry("measured", "acquire during a Redis pause ended after " + waitedMs + " ms with "
                    + (outcome == null ? "empty" : outcome.getClass().getSimpleName()));

            long lostAfterMs = (lostAt.get(5, TimeUnit.SECONDS) - paused) / 1_000_000;
            assertThat(lostAfterMs).as("lease lost at the holder, ms after the pause").isLessThanOrEqualTo(LEASE.toMillis());
            assertThat(permit.isValid()).isFalse();
        } finally {
            server.resume();
        }
        // The renewals that queued up during the pause land late: the server must not keep a
        // lease the holder gave up, and everything comes back.
        permit.close();
        awaitAllFree(semaphore);
        try (LeasedPermit next = semaphore.acquirePermit()) {
            assertThat(next.fencingToken()).isGreaterThan(permit.fencingToken());
        }
    }

    @Test
    void aPauseShorterThanTheLeaseLosesNothing() throws Exception {
        RedisSemaphore semaphore = client(server.uri(), Duration.ofSeconds(3)).semaphore(name, 1);
        LeasedPermit permit = semaphore.acquirePermit();

        server.pause();
        try {
            // 400 ms of pause, measured by a timed acquire that cannot succeed meanwhile.
            assertThat(client(server.uri()).semaphore(name, 1).tryAcquirePermit(1, Duration.ofMillis(400))).isEmpty();
        } finally {
            server.resume();
        }
        // A full lease later, the holder still holds: its renewals went through after the pause.
        assertThat(client(server.uri()).semaphore(name, 1).tryAcquirePermit(1, Duration.ofSeconds(3))).isEmpty();
        assertThat(permit.isValid()).isTrue();
        assertThat(permit.lost().toCompletableFuture()).isNotDone();
        permit.close();
    }
}
