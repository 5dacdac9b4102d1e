package dev.signalbox;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Every way to ask a semaphore for permits, each started so that its outcome arrives as a future
 * (the JDK TCK's {@code AcquireMethod}): blocking ones run on a thread of their own, so a rule is
 * tested through all of them with one test body. A blocking call that returns {@code false} (a
 * timed acquire that timed out) completes the future with {@code false}.
 */
enum AcquireEntry {
    ACQUIRE(true) {
        @Override
        CompletableFuture<Object> start(Semaphore semaphore, int permits) {
            return onThread(() -> {
                semaphore.acquire(permits);
                return true;
            });
        }
    },
    TRY_ACQUIRE_TIMED(true) {
        @Override
        CompletableFuture<Object> start(Semaphore semaphore, int permits) {
            return onThread(() -> semaphore.tryAcquire(permits, LONG));
        }
    },
    ACQUIRE_PERMIT(true) {
        @Override
        CompletableFuture<Object> start(Semaphore semaphore, int permits) {
            return onThread(() -> semaphore.acquirePermit(permits));
        }
    },
    TRY_ACQUIRE_PERMIT_TIMED(true) {
        @Override
        CompletableFuture<Object> start(Semaphore semaphore, int permits) {
            return onThread(() -> semaphore.tryAcquirePermit(permits, LONG).orElseThrow());
        }
    },
    ACQUIRE_ASYNC(false) {
        @Override
        CompletableFuture<Object> start(Semaphore semaphore, int permits) {
            return semaphore.acquireAsync(permits).thenApply(nothing -> true);
        }
    },
    ACQUIRE_PERMIT_ASYNC(false) {
        @Override
        CompletableFuture<Object> start(Semaphore semaphore, int permits) {
            return semaphore.acquirePermitAsync(permits).thenApply(permit -> permit);
        }
    };

    /** Longer than any test runs: a timed acquire that must wait for an event, not time out. */
    private static final Duration LONG = Duration.ofMinutes(5);

    final boolean blocking;

    AcquireEntry(boolean blocking) {
        this.blocking = blocking;
    }

    /** Starts asking {@code semaphore} for {@code permits}; the future tells how it ended. */
    abstract CompletableFuture<Object> start(Semaphore semaphore, int permits);

    /**
     * Calls the entry point on the calling thread: an exception thrown synchronously, even by an
     * async entry point, comes out here, as does one a returned future already failed with.
     */
    Object callNow(Semaphore semaphore, int permits) throws Exception {
        if (blocking) {
            return switch (this) {
                case ACQUIRE -> {
                    semaphore.acquire(permits);
                    yield true;
                }
                case TRY_ACQUIRE_TIMED -> semaphore.tryAcquire(permits, LONG);
                case ACQUIRE_PERMIT -> semaphore.acquirePermit(permits);
                case TRY_ACQUIRE_PERMIT_TIMED -> semaphore.tryAcquirePermit(permits, LONG).orElseThrow();
                default -> throw new AssertionError(this);
            };
        }
        CompletableFuture<Object> future = start(semaphore, permits);
        if (!future.isDone()) {
            future.cancel(false);
            throw new AssertionError(this + " did not complete at once");
        }
        try {
            return future.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof Exception cause) {
                throw cause;
            }
            throw e;
        }
    }

    private static CompletableFuture<Object> onThread(Callable<Object> call) {
        CompletableFuture<Object> outcome = new CompletableFuture<>();
        Thread.ofPlatform().daemon().name("acquirer").start(() -> {
            try {
                outcome.complete(call.call());
            } catch (Throwable t) {
                outcome.completeExceptionally(t);
            }
        });
        return outcome;
    }
}
