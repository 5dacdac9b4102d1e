package dev.signalbox.redis.fault;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

import dev.signalbox.redis.LeasedPermit;
import dev.signalbox.redis.RedisSemaphore;
import dev.signalbox.redis.RedisSemaphoreSnapshot;
import dev.signalbox.redis.testing.RedisServer;
import dev.signalbox.redis.testing.TcpProxy;

/**
 * Replies lost after Redis ran the command: the client retries with the same request id, and the
 * scripts answer the retry with the first outcome instead of acting twice.
 */
class LostReplyTest extends FaultTestBase {

    LostReplyTest(RedisServer server, TestInfo test) {
        super(server, test);
    }

    @Test
    void anAcquireWhoseReplyIsLostIsGrantedOnceNotTwice() throws Exception {
        try (TcpProxy proxy = new TcpProxy(server.port())) {
            RedisSemaphore semaphore = client(proxy.uri(), Duration.ofSeconds(30)).semaphore(name, 2);
            semaphore.acquirePermit().releaseAsync().get(5, TimeUnit.SECONDS); // connected, scripts cached
            long acquiresBefore = server.calls("evalsha");

            proxy.cutNextReply();
            LeasedPermit permit = (LeasedPermit) semaphore.tryAcquirePermit(1, Duration.ofSeconds(5)).orElseThrow();

            assertThat(server.calls("evalsha") - acquiresBefore).as("the acquire ran, and ran again").isGreaterThanOrEqualTo(2);
            RedisSemaphoreSnapshot snapshot = semaphore.snapshot();
            assertThat(snapshot.holders()).extracting(RedisSemaphoreSnapshot.Holder::id).containsExactly(permit.id());
            assertThat(snapshot.availablePermits()).isEqualTo(1);
            permit.close();
            awaitAllFree(semaphore);
        }
    }

    @Test
    void aReleaseWhoseReplyIsLostReleasesOnceNotTwice() throws Exception {
        try (TcpProxy proxy = new TcpProxy(server.port())) {
            // Long leases: no renewal adds to the script calls counted below.
            RedisSemaphore semaphore = client(proxy.uri(), Duration.ofSeconds(30)).semaphore(name, 2);
            RedisSemaphore other = client(server.uri(), Duration.ofSeconds(30)).semaphore(name, 2);
            LeasedPermit permit = semaphore.acquirePermit();
            LeasedPermit stays = other.acquirePermit();

            long callsBefore = server.calls("evalsha");
            proxy.cutNextReply();
            permit.releaseAsync().get(5, TimeUnit.SECONDS);

            assertThat(server.calls("evalsha") - callsBefore).as("the release ran, and ran again").isGreaterThanOrEqualTo(2);
            // Released once: one permit free, the other still held, nothing inflated.
            RedisSemaphoreSnapshot snapshot = other.snapshot();
            assertThat(snapshot.availablePermits()).isEqualTo(1);
            assertThat(snapshot.holders()).extracting(RedisSemaphoreSnapshot.Holder::id).containsExactly(stays.id());
            stays.close();
            awaitAllFree(other);
        }
    }
}
