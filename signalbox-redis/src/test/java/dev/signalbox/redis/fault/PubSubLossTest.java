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
import dev.signalbox.redis.RedisSemaphoreClient;
import dev.signalbox.redis.testing.Await;
import dev.signalbox.redis.testing.RedisServer;
import io.lettuce.core.KillArgs;

/** Notifications are hints: a waiter whose notification is lost still gets its permit in time. */
class PubSubLossTest extends FaultTestBase {

    PubSubLossTest(RedisServer server, TestInfo test) {
        super(server, test);
    }

    @Test
    void aWaiterWhosePubSubConnectionIsKilledIsStillGrantedWithinTheRecheckInterval(TestReporter reporter) throws Exception {
        Duration recheck = Duration.ofSeconds(1);
        RedisSemaphoreClient waiting = RedisSemaphoreClient.builder(server.uri()).recheckInterval(recheck)
                .waiterTtl(Duration.ofSeconds(3)).build();
        try {
            RedisSemaphore semaphore = waiting.semaphore(name, 1);
            RedisSemaphore holder = client(server.uri()).semaphore(name, 1);
            LeasedPermit held = holder.acquirePermit();
            CompletableFuture<LeasedPermit> waiter = semaphore.acquireLeaseAsync(1);
            Await.until("waiter queued", () -> semaphore.snapshot().waiters().size() == 1);
            Await.until("waiter subscribed", () -> server.admin().clientList().contains("cmd=subscribe"));

            long killed = server.admin().clientKill(KillArgs.Builder.typePubsub());
            long start = System.nanoTime();
            held.close(); // published while the subscriber is (probably) gone

            LeasedPermit granted = waiter.get(recheck.toMillis() + 2000, TimeUnit.MILLISECONDS);
            long tookMs = millisSince(start);
            assertThat(killed).isGreaterThanOrEqualTo(1);
            assertThat(granted.isValid()).isTrue();
            assertThat(tookMs).isLessThanOrEqualTo(recheck.toMillis() + 500);
            reporter.publishEntry("measured", "pub/sub killed: waiter granted after " + tookMs + " ms (recheck " + recheck.toMillis()
                    + " ms)");
            granted.close();
        } finally {
            waiting.close();
        }
    }
}
