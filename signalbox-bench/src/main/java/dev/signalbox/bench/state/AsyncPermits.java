package dev.signalbox.bench.state;

import java.util.concurrent.CompletableFuture;

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
}
