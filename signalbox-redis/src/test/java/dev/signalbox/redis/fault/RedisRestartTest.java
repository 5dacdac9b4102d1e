package dev.signalbox.redis.fault;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.TestReporter;

import dev.signalbox.redis.LeasedPermit;
import dev.signalbox.redis.RedisSemaphore;
import dev.signalbox.redis.testing.Await;
import dev.signalbox.redis.testing.RedisServer;

/** Redis killed and restarted without its data while permits are held and awaited. */
class RedisRestartTest extends FaultTestBase {

    RedisRestartTest(RedisServer server, TestInfo test) {
        super(server, test);
    }

    @Test
    void afterARestartWithoutDataHoldersAreToldAndNewGrantsWaitUntilTheirLeasesAreSurelyOver(TestReporter reporter) throws Exception {
        RedisSemaphore holderSide = client(server.uri()).semaphore(name, 1);
        RedisSemaphore waiterSide = client(server.uri()).semaphore(name, 1);
        LeasedPermit old = holderSide.acquirePermit();
        CompletableFuture<Long> lostAt = old.lost().toCompletableFuture().thenApply(v -> System.nanoTime());
        CompletableFuture<LeasedPermit> waiter = waiterSide.acquireLeaseAsync(1);
        Await.until("waiter queued", () -> waiterSide.snapshot().waiters().size() == 1);
        String oldEpoch = waiterSide.snapshot().epoch();

        server.restartEmpty();
        long restarted = System.nanoTime();

        long lostAfterMs = (lostAt.get(10, TimeUnit.SECONDS) - restarted) / 1_000_000;
        LeasedPermit next = waiter.get(10, TimeUnit.SECONDS);
        long grantedAt = System.nanoTime();

        // The old holder hears at its next renewal (a third of the lease) or by its local expiry.
        assertThat(lostAfterMs).isLessThanOrEqualTo(LEASE.toMillis() + 200);
        assertThat(old.isValid()).isFalse();
        // No overlap: the waiter (re-queued by its client) is granted after the old lease ended.
        assertThat(grantedAt).isGreaterThan(lostAt.get());
        assertThat(next.fencingToken()).isGreaterThan(old.fencingToken());
        assertThat(waiterSide.snapshot().epoch()).isNotEqualTo(oldEpoch);
        reporter.publishEntry("measured", "restart empty: old holder told after " + lostAfterMs + " ms; waiter granted after "
                + (grantedAt - restarted) / 1_000_000 + " ms");
        next.close();
        old.close();
        awaitAllFree(holderSide);
    }

    @Test
    void afterARestartAFreshClientMayOverlapAnOldHolderOnlyUntilItsNextRenewalAndHasTheHigherToken(
            TestReporter reporter) throws Exception {
        RedisSemaphore oldSide = client(server.uri()).semaphore(name, 1);
        LeasedPermit old = oldSide.acquirePermit();
        CompletableFuture<Long> lostAt = old.lost().toCompletableFuture().thenApply(v -> System.nanoTime());

        server.restartEmpty();
        // A client that never saw the semaphore knows of no epoch: nothing pauses its grant.
        LeasedPermit fresh = client(server.uri()).semaphore(name, 1).acquirePermit();
        long grantedAt = System.nanoTime();

        long overlapMs = (lostAt.get(10, TimeUnit.SECONDS) - grantedAt) / 1_000_000;
        assertThat(overlapMs).as("both valid for at most a renewal interval and a reconnect, ms")
                .isLessThanOrEqualTo(LEASE.toMillis() / 3 + 700);
        assertThat(fresh.fencingToken()).as("the fresh holder fences the old one out").isGreaterThan(old.fencingToken());
        reporter.publishEntry("measured", "restart empty, fresh client first: both valid for " + Math.max(0, overlapMs)
                + " ms");
        fresh.close();
        old.close();
        awaitAllFree(oldSide);
    }
}
