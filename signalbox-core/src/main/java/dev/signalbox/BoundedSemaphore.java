package dev.signalbox;

/**
 * A {@link Semaphore} that refuses to be released above its initial number of permits, like
 * asyncio's {@code BoundedSemaphore}: a release too many is a bug in the caller, and it surfaces
 * at once instead of silently raising the limit.
 *
 * {@snippet class=dev.signalbox.snippets.CoreSnippets region=bounded-semaphore :
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

    BoundedSemaphore(Builder options) {
        super(options, options.permits);
    }

    /**
     * Creates a fair semaphore with {@code permits} permits that may never hold more, like
     * {@code asyncio.BoundedSemaphore(permits)}.
     *
     * @param permits the initial number of permits, which is also the maximum; not negative
     * @return the semaphore
     * @throws IllegalArgumentException if {@code permits} is negative
     */
    public static BoundedSemaphore of(int permits) {
        return builder(permits).buildBounded();
    }

    /** {@return the most permits this semaphore may hold: its initial value, or what {@link #setMaxPermits(int)} set} */
    public int maxPermits() {
        return queue.bound();
    }

    /**
     * Changes the maximum to {@code maxPermits}, without waiting. Growing adds the difference to
     * the available permits and serves waiters in order. Shrinking takes the difference away: if
     * more permits are held than the new maximum, the available count goes negative and the
     * surplus is taken back as holders release. Queued requests for more than the new maximum
     * fail with {@link IllegalStateException}; later ones fail at once with
     * {@link IllegalArgumentException}. To stop all grants for a while, use {@link #pause()}.
     *
     * {@snippet class=dev.signalbox.snippets.CoreSnippets region=set-max-permits :
     * BoundedSemaphore db = BoundedSemaphore.of(20);
     * db.setMaxPermits(5);   // returns at once; the 15 held above the new maximum are paid back as released
     * }
     *
     * @param maxPermits the new maximum; positive
     * @throws IllegalArgumentException if {@code maxPermits} is not positive
     */
    public void setMaxPermits(int maxPermits) {
        queue.resize(requirePositive(maxPermits));
    }
}
