package dev.signalbox.redis;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The state of a Redis semaphore as the server held it at one moment: for status displays,
 * diagnostics and tests. Leases past their deadline that no script has reaped yet are still
 * listed (with zero remaining).
 *
 * @param name the semaphore's name
 * @param maxPermits the stored maximum
 * @param availablePermits permits not held by any lease (waiters may still be queued for them);
 *     negative after {@link RedisSemaphore#setMaxPermits(int)} lowered the maximum below what is
 *     held, until enough holders release
 * @param epoch identifies this incarnation of the semaphore's state in Redis; it changes when
 *     Redis lost the state (restart without data, lossy failover, deleted keys); empty if
 *     nothing is stored
 * @param graceRemaining how long new grants stay paused after Redis lost the state
 * @param paused whether {@link RedisSemaphore#pause()} stopped all grants
 * @param holders the leases, in order of their deadlines
 * @param waiters the queue, head first
 */
public record RedisSemaphoreSnapshot(String name, int maxPermits, int availablePermits, String epoch,
        Duration graceRemaining, boolean paused, List<Holder> holders, List<Waiter> waiters) {

    /** Copies the lists and checks the arguments. */
    public RedisSemaphoreSnapshot {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(epoch, "epoch");
        Objects.requireNonNull(graceRemaining, "graceRemaining");
        holders = List.copyOf(holders);
        waiters = List.copyOf(waiters);
    }

    /**
     * One lease.
     *
     * @param id the lease id ({@link LeasedPermit#id()})
     * @param permits how many permits it holds
     * @param fencingToken its fencing token
     * @param clientId the client that holds it
     * @param label who that client is ({@link RedisSemaphoreClient.Builder#label}), e.g. pid@host
     * @param since when it was granted, by the Redis server's clock
     * @param remaining the time left until the server's deadline (zero if past it)
     */
    public record Holder(String id, int permits, long fencingToken, String clientId, String label, Instant since,
            Duration remaining) {
    }

    /**
     * One queued request.
     *
     * @param id the request id
     * @param permits how many permits it asks for
     * @param clientId the client that waits
     * @param label who that client is ({@link RedisSemaphoreClient.Builder#label})
     * @param since when it joined the queue, by the Redis server's clock
     */
    public record Waiter(String id, int permits, String clientId, String label, Instant since) {
    }
}
