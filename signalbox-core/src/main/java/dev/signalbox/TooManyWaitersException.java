package dev.signalbox;

import java.util.concurrent.RejectedExecutionException;

/**
 * Thrown by an acquire that would have to wait when the semaphore's wait queue is already at its
 * admission limit: the way to shed load instead of queueing without bound.
 */
public class TooManyWaitersException extends RejectedExecutionException {

    private static final long serialVersionUID = 1L;

    /** The admission limit that was reached. */
    private final int maxWaiters;

    /**
     * Creates the exception for a wait queue full at {@code maxWaiters}.
     *
     * @param maxWaiters the admission limit that was reached
     */
    public TooManyWaitersException(int maxWaiters) {
        super("too many waiters: the wait queue is full at its limit of " + maxWaiters);
        this.maxWaiters = maxWaiters;
    }

    /** {@return the admission limit that was reached} */
    public int maxWaiters() {
        return maxWaiters;
    }
}
