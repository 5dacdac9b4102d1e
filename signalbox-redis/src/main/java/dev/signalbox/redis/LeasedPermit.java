package dev.signalbox.redis;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import dev.signalbox.Permit;

/**
 * A permit from a {@link RedisSemaphore}: a lease on the Redis server that this client renews in
 * the background, with a fencing token.
 *
 * {@snippet class=dev.signalbox.redis.snippets.RedisSnippets region=leased-permit :
 * try (LeasedPermit permit = semaphore.acquirePermit()) {
 *     permit.lost().thenRun(job::abort);                // the lease ended before close()
 *     storage.write(record, permit.fencingToken());     // storage rejects older tokens
 * }
 * }
 *
 * <p><b>Validity.</b> {@link #isValid()} is true while the lease surely lasts on the server: the
 * client measures it from the moment it <em>sent</em> the request that granted or last renewed
 * the lease, on its own monotonic clock, minus a safety margin, so it ends before the server's
 * lease does. Once false it never becomes true again. A lease is lost when the client could not
 * renew it in time (Redis unreachable or paused, the JVM paused longer than the lease) or when
 * the server no longer knows it (Redis restarted empty, a failover lost it); {@link #lost()}
 * completes then.
 *
 * <p><b>Fencing.</b> Checking {@link #isValid()} and then acting leaves a race: the process can
 * pause between the two. A resource that must never see two holders too many keeps the highest
 * {@link #fencingToken()} it has accepted and rejects requests that carry a lower one; tokens
 * increase strictly with every grant of the semaphore.
 *
 * <p>Implementations are thread-safe.
 */
public interface LeasedPermit extends Permit {

    /**
     * {@return the fencing token of this grant} It is larger than the token of every earlier grant of the same
     * semaphore, also across a Redis restart that lost the semaphore (tokens are seeded from the
     * server clock in microseconds).
     */
    long fencingToken();

    /** {@return the server's identifier of this lease (the request id that was granted)} */
    String id();

    /**
     * {@return whether the lease surely still holds on the server} That is: not released, not
     * lost, and not past its local expiry.
     */
    boolean isValid();

    /** {@return how long the lease surely lasts without another renewal; zero once it is not valid} */
    Duration remaining();

    /**
     * {@return a stage that completes when the lease is lost before {@link #close()}} Lost means
     * it could not be renewed in time, or the server no longer holds it. It never completes for a
     * permit that was closed while still valid.
     */
    CompletionStage<Void> lost();

    /**
     * Releases the permit like {@link #close()} and returns a future that completes when Redis
     * has confirmed it (or exceptionally with a {@link RedisSemaphoreException} if it could not
     * be reached; the lease then ends by itself when its TTL runs out).
     *
     * @return a future that completes when Redis has confirmed the release
     */
    CompletableFuture<Void> releaseAsync();

    /**
     * Gives the permits back. Returns without waiting for Redis: the release is sent at once and
     * is ordered before every later request of the same client; if Redis cannot be reached, the
     * lease ends by itself when its TTL runs out. Only the first call releases.
     */
    @Override
    void close();
}
