package dev.signalbox.redis;

import java.time.Duration;
import java.util.IdentityHashMap;
import java.util.Map;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.signalbox.PermitSource;
import dev.signalbox.contract.PermitSourceContract;
import dev.signalbox.redis.testing.RedisServer;
import dev.signalbox.redis.testing.RedisServerExtension;

/** {@link RedisSemaphore} keeps every {@link PermitSource} rule, against a real redis-server. */
@Tag("redis")
@ExtendWith(RedisServerExtension.class)
class RedisSemaphoreContractTest extends PermitSourceContract {

    private final RedisServer server;
    private final Map<PermitSource, RedisSemaphoreClient> clients = new IdentityHashMap<>();

    RedisSemaphoreContractTest(RedisServer server) {
        this.server = server;
    }

    /** A fresh semaphore (its own name) on a client of its own. */
    @Override
    protected PermitSource create(int permits) {
        RedisSemaphoreClient client = RedisSemaphoreClient.builder(server.uri()).leaseTtl(Duration.ofSeconds(2))
                .waiterTtl(Duration.ofSeconds(2)).recheckInterval(Duration.ofMillis(250)).build();
        RedisSemaphore semaphore = client.semaphore("contract-" + System.nanoTime(), permits);
        clients.put(semaphore, client);
        return semaphore;
    }

    @Override
    protected void dispose(PermitSource source) {
        clients.remove(source).close();
    }

    /** A wrong grant needs a round trip to show; on loopback that is well under this. */
    @Override
    protected Duration refusalWait() {
        return Duration.ofMillis(200);
    }
}
