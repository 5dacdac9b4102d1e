package dev.signalbox.redis;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

import dev.signalbox.Permit;
import dev.signalbox.PermitSource;
import dev.signalbox.redis.internal.SemaphoreEngine;

/**
 * A named semaphore on Redis, shared by every client of the server that opens the same name
 * (under the same key prefix): at most {@code maxPermits} permits are held at a time, cluster-
 * wide. Each permit is a {@link LeasedPermit}: a lease the client renews in the background, with
 * a fencing token. Code written against {@link PermitSource} runs on it unchanged.
 *
 * {@snippet class=dev.signalbox.redis.snippets.RedisSnippets region=semaphore :
 * RedisSemaphore exports = redis.semaphore("exports", 4);
 * try (LeasedPermit permit = exports.acquirePermit()) {      // or tryAcquirePermit(timeout)
 *     exportTo(storage, permit.fencingToken());
 * }
 * }
 *
 * <p><b>Fairness.</b> Requests are served in the order their acquire reached the Redis server,
 * across all clients; a request for {@code n} permits at the head holds back later, smaller
 * requests, so large requests never starve. {@code tryAcquirePermit} with a zero timeout never
 * overtakes a waiter. A waiter whose client stops sending heartbeats for the waiter TTL loses
 * its place (if it lives, it joins again at the tail).
 *
 * <p><b>Cancellation.</b> A waiting acquire that is cancelled, times out, or whose thread is
 * interrupted withdraws its request; permits that were to be assigned to it go to the next
 * waiter. If the grant wins the race, the future completes with the permit (the blocking
 * methods return it, with the interrupt status set). A grant that arrives after the caller gave
 * up is given back by the server-side cancel, which every request id makes idempotent.
 *
 * <p><b>Memory consistency.</b> Actions before closing a permit happen-before actions after
 * a later acquire <em>in the same JVM</em>; across processes, the order is Redis's.
 *
 * <p><b>Leases.</b> A holder's client renews all its leases on a semaphore with one call every
 * third of the lease TTL. The permits of a holder that crashed or lost contact come back within
 * the lease TTL (plus the time until the next call reaps them). See {@link LeasedPermit} for
 * how a holder learns that its lease was lost, and for fencing.
 *
 * <p><b>Errors.</b> Every call ends, with a permit or a typed exception, by its timeout plus
 * about the command timeout: {@link RedisUnavailableException} when Redis cannot be reached,
 * {@link RedisAuthenticationException}, {@link ForeignStateException} when the keys hold foreign
 * data, {@link MaxPermitsMismatchException} when the semaphore exists with another maximum (an
 * acquire or resize; releases and renewals are served whatever the maximum), and
 * {@link MaxPermitsLoweredException} for a waiter that a resize made too large.
 *
 * <p><b>Cost.</b> Taking a free permit is one script call ({@code EVALSHA}), and so is a
 * release. A waiter costs one more call when it is granted, and one call per recheck interval
 * while it waits (the heartbeat that keeps its place).
 *
 * <p>Thread-safe.
 */
public final class RedisSemaphore implements PermitSource {

    private final SemaphoreEngine engine;

    RedisSemaphore(SemaphoreEngine engine) {
        this.engine = engine;
    }

    /** {@return the semaphore's name} */
    public String name() {
        return engine.name();
    }

    /** {@return the maximum this client opened the semaphore with, or last set with {@link #setMaxPermits(int)}} */
    public int maxPermits() {
        return engine.maxPermits();
    }

    /**
     * Acquires one permit, waiting as long as it takes.
     *
     * @throws InterruptedException if interrupted while waiting; nothing is held
     * @throws RedisSemaphoreException if Redis cannot serve the request (see the class comment)
     */
    @Override
    public LeasedPermit acquirePermit() throws InterruptedException {
        return acquirePermit(1);
    }

    /**
     * Acquires {@code permits} permits at once, waiting as long as it takes.
     *
     * @throws IllegalArgumentException if {@code permits} is not positive or above the maximum
     * @throws InterruptedException if interrupted while waiting; nothing is held
     * @throws RedisSemaphoreException if Redis cannot serve the request (see the class comment)
     */
    @Override
    public LeasedPermit acquirePermit(int permits) throws InterruptedException {
        checkPermits(permits);
        throwIfInterrupted();
        return await(engine.acquire(checkPermits(permits), Long.MAX_VALUE));
    }

    /**
     * Acquires {@code permits} permits if they are granted within {@code timeout}; a zero or
     * negative timeout does not wait, and fails while anyone waits.
     *
     * @return the permit (a {@link LeasedPermit}), or empty if the timeout elapsed first
     * @throws IllegalArgumentException if {@code permits} is not positive or above the maximum
     * @throws NullPointerException if {@code timeout} is null
     * @throws InterruptedException if interrupted while waiting; nothing is held
     * @throws RedisSemaphoreException if Redis cannot serve the request (see the class comment)
     */
    @Override
    public Optional<Permit> tryAcquirePermit(int permits, Duration timeout) throws InterruptedException {
        checkPermits(permits);
        Objects.requireNonNull(timeout, "timeout");
        long nanos = timeout.isNegative() ? 0 : saturatedNanos(timeout);
        throwIfInterrupted();
        try {
            return Optional.ofNullable(await(engine.acquire(permits, nanos)));
        } catch (TimedOut e) {
            return Optional.empty();
        }
    }

    /**
     * Returns a future of {@code permits} permits; cancel it (or complete it exceptionally, e.g.
     * with {@code orTimeout}) to withdraw the request. The future completes exceptionally with a
     * {@link RedisSemaphoreException} if Redis cannot serve the request.
     *
     * @throws IllegalArgumentException if {@code permits} is not positive or above the maximum
     */
    @Override
    @SuppressWarnings("unchecked")
    public CompletableFuture<Permit> acquirePermitAsync(int permits) {
        // Safe: callers cannot complete the future with a value (only a grant does).
        return (CompletableFuture<Permit>) (CompletableFuture<?>) acquireLeaseAsync(permits);
    }

    /**
     * Like {@link #acquirePermitAsync(int)}, typed as a {@link LeasedPermit}.
     *
     * @param permits how many permits to acquire at once
     * @return a future that completes with the lease once it is granted
     * @throws IllegalArgumentException if {@code permits} is not positive or above the maximum
     */
    public CompletableFuture<LeasedPermit> acquireLeaseAsync(int permits) {
        return engine.acquire(checkPermits(permits), Long.MAX_VALUE);
    }

    /**
     * Changes the maximum stored in Redis to {@code maxPermits}, for every client, in one script
     * call that does not wait for holders. Growing serves the queue in order, notifying the
     * granted waiters' clients as a release does. Shrinking takes the difference away: if more
     * permits are held than the new maximum, {@link RedisSemaphoreSnapshot#availablePermits()}
     * goes negative and nothing is granted until holders have released the surplus. Queued
     * requests, of any client, for more than the new maximum fail with
     * {@link MaxPermitsLoweredException}; later ones of this semaphore object fail at once with
     * {@link IllegalArgumentException}.
     *
     * <p>Other clients keep releasing and renewing what they hold and keep their place in the
     * queue, but their acquires fail with {@link MaxPermitsMismatchException} (naming both
     * maxima) until they open the semaphore with the new maximum. The change is a
     * compare-and-set: it applies only if the stored maximum is still {@link #maxPermits()},
     * so two clients resizing at once never overwrite each other unseen.
     *
     * {@snippet class=dev.signalbox.redis.snippets.RedisSnippets region=set-max-permits :
     * RedisSemaphore exports = redis.semaphore("exports", 8);
     * exports.setMaxPermits(2);   // returns at once; the 6 held above the new maximum are paid back as released
     * }
     *
     * @param maxPermits the new maximum; positive
     * @throws IllegalArgumentException if {@code maxPermits} is not positive
     * @throws MaxPermitsMismatchException if another client changed the maximum since this one
     *     learnt it; nothing was changed
     * @throws RedisSemaphoreException if Redis cannot serve the request (see the class comment)
     */
    public void setMaxPermits(int maxPermits) {
        if (maxPermits <= 0) {
            throw new IllegalArgumentException("maxPermits must be positive, got " + maxPermits);
        }
        join(engine.resize(maxPermits));
    }

    /**
     * Stops all grants, for every client, until {@link #resume()}: acquires queue (a
     * {@code tryAcquirePermit} with a zero timeout fails), and releases still return their
     * permits. Pausing a paused semaphore does nothing.
     *
     * @throws RedisSemaphoreException if Redis cannot serve the request (see the class comment)
     */
    public void pause() {
        join(engine.pause(true));
    }

    /**
     * Resumes granting after {@link #pause()}, serving the queue in order. Resuming a semaphore
     * that is not paused does nothing.
     *
     * @throws RedisSemaphoreException if Redis cannot serve the request (see the class comment)
     */
    public void resume() {
        join(engine.pause(false));
    }

    /**
     * Reads the semaphore's state in Redis: holders, queue, available permits.
     *
     * @return the state as one script read it, all at one moment
     * @throws RedisSemaphoreException if Redis cannot be read
     */
    public RedisSemaphoreSnapshot snapshot() {
        return join(engine.inspect());
    }

    /** This client's view: its held permits and waiting requests on this semaphore. */
    @Override
    public String toString() {
        return engine.toString();
    }

    private int checkPermits(int permits) {
        if (permits <= 0) {
            throw new IllegalArgumentException("permits must be positive, got " + permits);
        }
        if (permits > engine.maxPermits()) {
            throw new IllegalArgumentException("permits must not exceed maxPermits " + engine.maxPermits()
                    + ", got " + permits);
        }
        return permits;
    }

    /** Waits for a call that ends within the command timeout, rethrowing its typed failure. */
    private static <T> T join(CompletableFuture<T> call) {
        try {
            return call.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
    }

    /** An interrupted thread sends nothing: no request, so nothing to withdraw. */
    private static void throwIfInterrupted() throws InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
    }

    private static long saturatedNanos(Duration timeout) {
        try {
            return timeout.toNanos();
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }

    /** Waits for {@code future}; on interrupt withdraws it, unless the grant already won. */
    private static LeasedPermit await(CompletableFuture<LeasedPermit> future) throws InterruptedException {
        try {
            return future.get();
        } catch (InterruptedException e) {
            if (future.cancel(false)) {
                throw e;
            }
            Thread.currentThread().interrupt(); // the grant won the race: keep it, keep the interrupt
            return future.join();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof TimeoutException) {
                throw new TimedOut();
            }
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            throw new RedisSemaphoreException("acquire failed", cause);
        }
    }

    /** The timeout of a timed acquire elapsed (internal: becomes an empty Optional). */
    private static final class TimedOut extends RuntimeException {
        private static final long serialVersionUID = 1L;

        TimedOut() {
            super(null, null, false, false);
        }
    }
}
