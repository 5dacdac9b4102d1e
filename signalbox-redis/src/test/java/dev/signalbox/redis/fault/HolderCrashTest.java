package dev.signalbox.redis.fault;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.TestReporter;

import dev.signalbox.Permit;
import dev.signalbox.redis.LeasedPermit;
import dev.signalbox.redis.RedisSemaphore;
import dev.signalbox.redis.testing.Await;
import dev.signalbox.redis.testing.RedisServer;

class HolderCrashTest extends FaultTestBase {

    HolderCrashTest(RedisServer server, TestInfo test) {
        super(server, test);
    }

    @Test
    void aHolderKilledWithSigkillGivesItsPermitBackWithinTheLease(TestReporter reporter) throws Exception {
        RedisSemaphore semaphore = client(server.uri()).semaphore(name, 1);
        try (WorkerProcess holder = new WorkerProcess(server.uri(), name, "1", Long.toString(LEASE.toMillis()), "hold")) {
            String line = holder.readLine(30);
            assertThat(line).startsWith("HELD ");
            long crashedToken = Long.parseLong(line.substring(5));
            assertThat(semaphore.tryAcquirePermit(Duration.ZERO)).isEmpty();

            holder.kill9();
            long killed = System.nanoTime();
            Optional<Permit> permit = semaphore.tryAcquirePermit(1, Duration.ofSeconds(5));

            long backAfterMs = millisSince(killed);
            assertThat(permit).isPresent();
            assertThat(((LeasedPermit) permit.get()).fencingToken()).isGreaterThan(crashedToken);
            // Lease TTL, plus the waiter's recheck (the reap runs on the next script call).
            assertThat(backAfterMs).as("ms until the dead holder's permit came back")
                    .isLessThanOrEqualTo(LEASE.plus(RECHECK).toMillis() + 300);
            reporter.publishEntry("measured", "kill -9 holder: permit back after " + backAfterMs + " ms (lease "
                    + LEASE.toMillis() + " ms)");
            permit.get().close();
        }
    }

    @Test
    void aWaiterKilledWithSigkillLeavesTheQueueAndBlocksNobody() throws Exception {
        RedisSemaphore semaphore = client(server.uri()).semaphore(name, 1);
        LeasedPermit held = semaphore.acquirePermit();
        try (WorkerProcess waiter = new WorkerProcess(server.uri(), name, "1", Long.toString(LEASE.toMillis()), "wait")) {
            assertThat(waiter.readLine(30)).isEqualTo("WAITING");
            Await.until("the worker's request queued", () -> semaphore.snapshot().waiters().size() == 1);

            waiter.kill9();
            long killed = System.nanoTime();
            Await.until("the dead waiter reaped", () -> semaphore.snapshot().waiters().isEmpty());
            long goneAfterMs = millisSince(killed);

            assertThat(goneAfterMs).isLessThanOrEqualTo(WAITER_TTL.plus(RECHECK).toMillis() + 500);
            held.close();
            try (Permit next = semaphore.tryAcquirePermit(1, Duration.ofSeconds(2)).orElseThrow()) {
                assertThat(next.permits()).isEqualTo(1);
            }
        }
    }
}
