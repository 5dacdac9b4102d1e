package dev.signalbox;

import java.util.concurrent.RejectedExecutionException;

/**
 * Thrown by an acquire that would have to wait when the semaphore's wait queue is already at its
 * admission limit: the way to shed load instead of queueing without bound.
 */
public class TooManyWaitersException extends RejectedExecutionException {

    private static final long serialVersionUID = 1L;

    private final int maxWaiters;

    public TooManyWaitersException(int maxWaiters) {
        super("too many waiters: the wait queue is full at its limit of " + maxWaiters);
        this.maxWaiters = maxWaiters;
    }

    /** The admission limit that was reached. */
    public int maxWaiters() {
        return maxWaiters;
    }
}
