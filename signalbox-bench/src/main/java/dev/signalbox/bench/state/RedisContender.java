package dev.signalbox.bench.state;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.redisson.Redisson;
import org.redisson.api.RPermitExpirableSemaphore;
import org.redisson.api.RSemaphore;
import org.redisson.api.RedissonClient;
import org.redisson.config.Config;

import dev.signalbox.redis.LeasedPermit;
import dev.signalbox.redis.RedisSemaphore;
import dev.signalbox.redis.RedisSemaphoreClient;

/**
 * The semaphores on Redis the benchmarks compare, and how each client is set up. Each
 * {@link #connect} is one client as a separate process would have it: its own connections and
 * event loops.
 */
public enum RedisContender {

    /**
     * {@link RedisSemaphore}: fair, leased (30 s, renewed in the background), fenced. The release
     * is {@link LeasedPermit#releaseAsync()} joined, so that, like Redisson's, it has reached
     * Redis when it returns.
     */
    OURS {
        @Override
        public Client connect(String uri, String name, int permits) {
            RedisSemaphoreClient client = RedisSemaphoreClient.builder(uri).leaseTtl(LEASE).build();
            RedisSemaphore semaphore = client.semaphore(name, permits);
            return new Client(new RedisPermits() {
                @Override
                public Object acquire() throws InterruptedException {
                    return semaphore.acquirePermit();
                }

                @Override
                public void release(Object handle) {
                    ((LeasedPermit) handle).releaseAsync().join();
                }
            }, client::close);
        }
    },

    /**
     * Redisson's {@code RPermitExpirableSemaphore}: each permit has an id and a lease (30 s, not
     * renewed), the closest of Redisson's semaphores to ours.
     */
    REDISSON_EXPIRABLE {
        @Override
        public Client connect(String uri, String name, int permits) {
            RedissonClient redisson = redisson(uri);
            RPermitExpirableSemaphore semaphore = redisson.getPermitExpirableSemaphore(name);
            semaphore.trySetPermits(permits);
            return new Client(new RedisPermits() {
                @Override
                public Object acquire() throws InterruptedException {
                    return semaphore.acquire(LEASE.toMillis(), TimeUnit.MILLISECONDS);
                }

                @Override
                public void release(Object handle) {
                    semaphore.release((String) handle);
                }
            }, redisson::shutdown);
        }
    },

    /** Redisson's {@code RSemaphore}: a counter; permits have neither ids nor leases, no fairness. */
    REDISSON_SEMAPHORE {
        @Override
        public Client connect(String uri, String name, int permits) {
            RedissonClient redisson = redisson(uri);
            RSemaphore semaphore = redisson.getSemaphore(name);
            semaphore.trySetPermits(permits);
            return new Client(new RedisPermits() {
                @Override
                public Object acquire() throws InterruptedException {
                    semaphore.acquire();
                    return null;
                }

                @Override
                public void release(Object handle) {
                    semaphore.release();
                }
            }, redisson::shutdown);
        }
    };

    /** The lease of every leased permit: long enough that no lease ends during a benchmark. */
    static final Duration LEASE = Duration.ofSeconds(30);

    /** A connected client and how to close it. */
    public record Client(RedisPermits permits, Runnable closer) implements AutoCloseable {
        @Override
        public void close() {
            closer.run();
        }
    }

    /**
     * A new client of this contender for the server at {@code uri}, on the semaphore {@code name}
     * of {@code permits} permits (created by the first client that opens it).
     */
    public abstract Client connect(String uri, String name, int permits);

    /** The contender a benchmark method of this name measures: {@code ours}, {@code redissonExpirable} ... */
    public static RedisContender ofMethod(String method) {
        return switch (method) {
            case "ours" -> OURS;
            case "redissonExpirable" -> REDISSON_EXPIRABLE;
            case "redissonSemaphore" -> REDISSON_SEMAPHORE;
            default -> throw new IllegalArgumentException("no Redis contender for benchmark method " + method);
        };
    }

    /**
     * A Redisson client with small pools: its defaults (32 Netty threads, 24 idle connections
     * and more per client) are sized for a server-side process, not for eight clients sharing two
     * cores; these still give every waiting thread a connection of its own.
     */
    private static RedissonClient redisson(String uri) {
        Config config = new Config();
        config.setNettyThreads(4);
        config.useSingleServer().setAddress(uri)
                .setConnectionMinimumIdleSize(4).setConnectionPoolSize(8)
                .setSubscriptionConnectionMinimumIdleSize(1).setSubscriptionConnectionPoolSize(4);
        return Redisson.create(config);
    }
}
