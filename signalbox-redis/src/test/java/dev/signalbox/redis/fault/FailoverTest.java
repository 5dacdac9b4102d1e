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
import dev.signalbox.redis.testing.TcpProxy;

/**
 * A failover that loses writes: the replica is cut off from the primary (its replication link
 * goes through a proxy that is blackholed), a grant is made on the primary only, the primary is
 * killed, and the replica is promoted. Clients reach Redis through a proxy that is switched over.
 */
class FailoverTest extends FaultTestBase {

    FailoverTest(RedisServer server, TestInfo test) {
        super(server, test);
    }

    @Test
    void aGrantLostInAFailoverIsReportedLostAndItsTokenIsNeverReissued(TestReporter reporter) throws Exception {
        try (TcpProxy replication = new TcpProxy(server.port());
                RedisServer replica = RedisServer.start("--replicaof", "127.0.0.1", Integer.toString(replication.port()));
                TcpProxy front = new TcpProxy(server.port())) {
            Await.until("replica in sync", () -> replica.admin().info("replication").contains("master_link_status:up"));
            RedisSemaphore semaphore = client(front.uri()).semaphore(name, 2);
            LeasedPermit kept = semaphore.acquirePermit();
            assertThat(server.admin().waitForReplication(1, 5000)).isEqualTo(1L);

            replication.blackhole();
            LeasedPermit forgotten = semaphore.acquirePermit();
            CompletableFuture<Long> lostAt = forgotten.lost().toCompletableFuture().thenApply(v -> System.nanoTime());
            server.kill9();
            replica.admin().replicaofNoOne();
            front.retarget(replica.port());
            front.resetAll();
            long failedOver = System.nanoTime();

            long lostAfterMs = (lostAt.get(10, TimeUnit.SECONDS) - failedOver) / 1_000_000;
            assertThat(lostAfterMs).isLessThanOrEqualTo(LEASE.toMillis());
            // The grant the replica had is still held, and renewed on the new primary.
            assertThat(kept.isValid()).isTrue();
            RedisSemaphore onReplica = client(replica.uri()).semaphore(name, 2);
            Await.until("lease renewed on the new primary",
                    () -> onReplica.snapshot().holders().stream().anyMatch(h -> h.id().equals(kept.id())));
            try (LeasedPermit next = onReplica.tryAcquirePermit(1, java.time.Duration.ofSeconds(3))
                    .map(LeasedPermit.class::cast).orElseThrow()) {
                assertThat(next.fencingToken()).isGreaterThan(forgotten.fencingToken());
            }
            reporter.publishEntry("measured", "lossy failover: forgotten grant reported lost after " + lostAfterMs + " ms");
            kept.close();
            forgotten.close();
        } finally {
            // The primary was killed; restart it for the tests that follow in this class.
            server.restartEmpty();
        }
    }
}
