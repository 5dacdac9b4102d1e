package dev.signalbox.bench.state;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * A contender as {@code CompletableFuture} code sees it: {@code acquire} returns a future of the
 * grant, already complete when the permits are free. The scenarios drive every async contender
 * through this one shape, so they differ only in the semaphore behind it (each JMH fork runs one
 * contender, so the calls stay monomorphic).
 */
public interface AsyncPermits {

    /** A future that completes when {@code permits} permits are granted; cancel it to withdraw. */
    CompletableFuture<?> acquire(int permits);

    /** Returns {@code permits} permits. */
    void release(int permits);

    /**
     * Acquires one permit and, once it is granted, runs {@code step} on {@code executor}: a worker
     * that yields right after its acquire, in the contender's own idiom. For future-based
     * semaphores that is {@code acquire(1).thenRunAsync(step, executor)}.
     */
    default void acquireThenRunAsync(Runnable step, Executor executor) {
        acquire(1).thenRunAsync(step, executor);
    }
}
