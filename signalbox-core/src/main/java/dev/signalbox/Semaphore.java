package dev.signalbox;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import dev.signalbox.internal.queue.PermitQueue;
import dev.signalbox.internal.queue.QueuePermit;

/**
 * A counting semaphore that serves its waiters strictly first-in first-out, for
 * {@code CompletableFuture} code and for (virtual) threads alike: asyncio's {@code Semaphore}
 * for Java.
 *
 * {@snippet :
 * Semaphore semaphore = Semaphore.of(2);             // like asyncio.Semaphore(2)
 *
 * try (Permit permit = semaphore.acquirePermit()) {  // blocking; cheap on virtual threads
 *     callTheBackend();
 * }
 *
 * semaphore.withPermitAsync(() -> client.sendAsync(request))   // async; released when done
 *          .thenAccept(this::handle);
 * }
 *
 * <p><b>Counter.</b> The semaphore holds a number of permits, at least 0. {@code acquire} takes
 * permits or waits until they are released; {@code release} adds them and wakes waiters in order.
 * There is no owner: any thread may release. {@link BoundedSemaphore} refuses releases that would
 * raise the count above its initial value.
 *
 * <p><b>Fairness.</b> Waiters are served strictly first-in first-out across every entry point
 * (blocking, async, timed, weighted). Nothing overtakes a waiter: {@code tryAcquire} fails and a
 * new {@code acquire} queues while anyone waits, even if enough permits are free for it. A waiter
 * for {@code n} permits at the head holds back later, smaller requests, so large requests never
 * starve.
 *
 * <p><b>Cancellation.</b> A waiter that gives up — its future cancelled or completed exceptionally
 * (as {@code orTimeout} does), its timed acquire timed out, its thread interrupted — leaves the
 * queue at once, and the permits that were to be assigned to it go to the next waiter. If the
 * grant wins the race, giving up fails: {@code cancel} returns false and the future completes
 * normally, a timed acquire returns true, an interrupted acquire returns normally with the
 * interrupt status set. Either way no permit is lost or granted twice.
 *
 * <p><b>Callbacks.</b> Futures are completed outside any internal lock, so a completion callback
 * may acquire or release again. Chains of callbacks that release run in constant stack depth.
 * The futures returned by the async methods cannot be completed normally by callers
 * ({@code complete} and {@code obtrude*} throw {@link UnsupportedOperationException}).
 *
 * <p><b>Memory consistency.</b> Actions in a thread before a release happen-before actions
 * following a successful acquire in another thread, including the dependent actions of the
 * acquiring future.
 *
 * <p><b>Threads.</b> All methods are thread-safe. Blocking methods park with
 * {@link java.util.concurrent.locks.LockSupport}, so a waiting virtual thread unmounts from its
 * carrier.
 *
 * @see BoundedSemaphore
 */
public sealed class Semaphore implements PermitSource permits BoundedSemaphore {

    /** The one future every immediate async grant returns: complete, and immutable. */
    private static final CompletableFuture<Void> ACQUIRED = new ImmutableCompletion();

    final PermitQueue queue;

    Semaphore(int permits, int bound) {
        this.queue = new PermitQueue(permits, bound);
    }

    /**
     * Creates a fair semaphore with {@code permits} permits, like {@code asyncio.Semaphore(permits)}.
     *
     * @throws IllegalArgumentException if {@code permits} is negative
     */
    public static Semaphore of(int permits) {
        return new Semaphore(requireNonNegative(permits), Integer.MAX_VALUE);
    }

    // ---------------------------------------------------------------- blocking

    /**
     * Acquires one permit, waiting until it is granted.
     *
     * @throws InterruptedException if the thread is interrupted before the grant; nothing is held
     */
    public void acquire() throws InterruptedException {
        queue.take(1, Long.MAX_VALUE);
    }

    /**
     * Acquires {@code permits} permits at once, waiting until they are granted.
     *
     * @throws IllegalArgumentException if {@code permits} is not positive, or above the bound of a
     *     {@link BoundedSemaphore}
     * @throws InterruptedException if the thread is interrupted before the grant; nothing is held
     */
    public void acquire(int permits) throws InterruptedException {
        queue.take(checkPermits(permits), Long.MAX_VALUE);
    }

    /**
     * Acquires one permit if it is granted within {@code timeout}; a zero or negative timeout
     * does not wait (but still never overtakes a waiter).
     *
     * @return true if acquired, false if the timeout elapsed first (nothing is held then)
     * @throws NullPointerException if {@code timeout} is null
     * @throws InterruptedException if the thread is interrupted before the grant; nothing is held
     */
    public boolean tryAcquire(Duration timeout) throws InterruptedException {
        return queue.take(1, toNanos(timeout));
    }

    /**
     * Acquires {@code permits} permits if they are granted within {@code timeout}; see
     * {@link #tryAcquire(Duration)}.
     *
     * @throws IllegalArgumentException if {@code permits} is not positive, or above the bound of a
     *     {@link BoundedSemaphore}
     * @throws NullPointerException if {@code timeout} is null
     * @throws InterruptedException if the thread is interrupted before the grant; nothing is held
     */
    public boolean tryAcquire(int permits, Duration timeout) throws InterruptedException {
        return queue.take(checkPermits(permits), toNanos(timeout));
    }

    // ---------------------------------------------------------------- never waiting

    /** Acquires one permit if one is free and nobody waits; never waits. */
    public boolean tryAcquire() {
        return queue.tryTake(1);
    }

    /**
     * Acquires {@code permits} permits if they are free and nobody waits; never waits.
     *
     * @throws IllegalArgumentException if {@code permits} is not positive, or above the bound of a
     *     {@link BoundedSemaphore}
     */
    public boolean tryAcquire(int permits) {
        return queue.tryTake(checkPermits(permits));
    }

    // ---------------------------------------------------------------- async

    /**
     * Returns a future that completes when one permit is granted: already complete if it is free
     * and nobody waits. Cancel the future, or complete it exceptionally (e.g. with
     * {@code orTimeout}), to withdraw the request.
     */
    public CompletableFuture<Void> acquireAsync() {
        return queue.takeAsync(1, ACQUIRED);
    }

    /**
     * Returns a future that completes when {@code permits} permits are granted; see
     * {@link #acquireAsync()}.
     *
     * @throws IllegalArgumentException if {@code permits} is not positive, or above the bound of a
     *     {@link BoundedSemaphore}
     */
    public CompletableFuture<Void> acquireAsync(int permits) {
        return queue.takeAsync(checkPermits(permits), ACQUIRED);
    }

    // ---------------------------------------------------------------- releasing

    /**
     * Releases one permit, granting it to the first waiter if there is one.
     *
     * @throws IllegalStateException if the count would overflow, or exceed the bound of a
     *     {@link BoundedSemaphore} ("released too many times"); then nothing changes
     */
    public void release() {
        queue.give(1);
    }

    /**
     * Releases {@code permits} permits, granting them to waiters in order.
     *
     * @throws IllegalArgumentException if {@code permits} is not positive
     * @throws IllegalStateException if the count would overflow, or exceed the bound of a
     *     {@link BoundedSemaphore} ("released too many times"); then nothing changes
     */
    public void release(int permits) {
        queue.give(requirePositive(permits));
    }

    // ---------------------------------------------------------------- permit handles

    /**
     * Acquires one permit as a handle that releases it on {@code close()}.
     *
     * @throws InterruptedException if the thread is interrupted before the grant; nothing is held
     */
    @Override
    public Permit acquirePermit() throws InterruptedException {
        return acquirePermit(1);
    }

    @Override
    public Permit acquirePermit(int permits) throws InterruptedException {
        queue.take(checkPermits(permits), Long.MAX_VALUE);
        return new QueuePermit(queue, permits);
    }

    @Override
    public Optional<Permit> tryAcquirePermit(int permits, Duration timeout) throws InterruptedException {
        return queue.take(checkPermits(permits), toNanos(timeout))
                ? Optional.of(new QueuePermit(queue, permits))
                : Optional.empty();
    }

    @Override
    public CompletableFuture<Permit> acquirePermitAsync() {
        return queue.takePermitAsync(1);
    }

    @Override
    public CompletableFuture<Permit> acquirePermitAsync(int permits) {
        return queue.takePermitAsync(checkPermits(permits));
    }

    // ---------------------------------------------------------------- observing

    /**
     * Whether {@link #acquire()} would wait now: no permit is free, or somebody already waits
     * (as asyncio's {@code locked()}).
     */
    public boolean locked() {
        return queue.wouldWait(1);
    }

    /** The number of permits free now. */
    public int availablePermits() {
        return queue.available();
    }

    /** The number of acquirers waiting now. */
    public int queueLength() {
        return queue.queued();
    }

    /** For example {@code Semaphore[permits=1, waiters=2]}. */
    @Override
    public String toString() {
        return "Semaphore[" + queue + "]";
    }

    // ---------------------------------------------------------------- argument checks

    /** Checks an acquire request: positive, and not beyond what could ever be granted. */
    private int checkPermits(int permits) {
        if (permits > queue.bound()) {
            throw new IllegalArgumentException("permits must not exceed the bound " + queue.bound()
                    + " of this semaphore (the request could never be granted), got " + permits);
        }
        return requirePositive(permits);
    }

    static int requirePositive(int permits) {
        if (permits <= 0) {
            throw new IllegalArgumentException("permits must be positive, got " + permits);
        }
        return permits;
    }

    static int requireNonNegative(int permits) {
        if (permits < 0) {
            throw new IllegalArgumentException("initial permits must not be negative, got " + permits);
        }
        return permits;
    }

    /** The timeout in nanoseconds, saturated: anything beyond about 292 years waits forever. */
    private static long toNanos(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        try {
            return timeout.toNanos();
        } catch (ArithmeticException tooLong) {
            return timeout.isNegative() ? 0 : Long.MAX_VALUE;
        }
    }

    /** A completed future nobody can change: safe to share among all callers. */
    private static final class ImmutableCompletion extends CompletableFuture<Void> {
        ImmutableCompletion() {
            super.complete(null);
        }

        @Override
        public void obtrudeValue(Void value) {
            throw new UnsupportedOperationException("this future is shared and cannot be changed");
        }

        @Override
        public void obtrudeException(Throwable ex) {
            throw new UnsupportedOperationException("this future is shared and cannot be changed");
        }
    }
}
