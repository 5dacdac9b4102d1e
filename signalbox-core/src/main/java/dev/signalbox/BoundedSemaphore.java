package dev.signalbox;

/**
 * A {@link Semaphore} that refuses to be released above its initial number of permits, like
 * asyncio's {@code BoundedSemaphore}: a release too many is a bug in the caller, and it surfaces
 * at once instead of silently raising the limit.
 *
 * {@snippet :
 * BoundedSemaphore semaphore = BoundedSemaphore.of(2);
 * semaphore.acquire();
 * semaphore.release();
 * semaphore.release();   // IllegalStateException: released too many times ...
 * }
 *
 * <p>"Bounded" is only a release rule; acquiring, fairness and cancellation are the
 * {@link Semaphore}'s. A release that would raise the count above the bound throws
 * {@link IllegalStateException} and changes nothing. A request for more permits than the bound
 * could never be granted, so it fails at once with {@link IllegalArgumentException} instead of
 * waiting forever.
 */
public final class BoundedSemaphore extends Semaphore {

    private BoundedSemaphore(int permits) {
        super(permits, permits);
    }

    /**
     * Creates a fair semaphore with {@code permits} permits that may never hold more, like
     * {@code asyncio.BoundedSemaphore(permits)}.
     *
     * @throws IllegalArgumentException if {@code permits} is negative
     */
    public static BoundedSemaphore of(int permits) {
        return new BoundedSemaphore(requireNonNegative(permits));
    }

    /** The most permits this semaphore may hold: its initial value. */
    public int bound() {
        return queue.bound();
    }

    /** For example {@code BoundedSemaphore[permits=1, bound=2, waiters=0]}. */
    @Override
    public String toString() {
        return "BoundedSemaphore[permits=" + availablePermits() + ", bound=" + bound()
                + ", waiters=" + queueLength() + "]";
    }
}
