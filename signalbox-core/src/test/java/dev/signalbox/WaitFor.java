package dev.signalbox;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;

/**
 * Bounded waits for the operating and observing tests: every future is read with one global
 * timeout, and a condition that another thread brings about is polled (never slept on) until the
 * same deadline.
 */
final class WaitFor {

    /** The longest any test waits for anything; reaching it is a failure, never a pass. */
    static final Duration TIMEOUT = Duration.ofSeconds(20);

    private WaitFor() {}

    /** Waits until {@code condition} holds, or fails naming {@code what}. */
    static void until(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("timed out after " + TIMEOUT + " waiting until " + what);
            }
            Thread.yield();
        }
    }

    /** Waits until {@code semaphore} has {@code waiters} queued acquirers. */
    static void queueLength(Semaphore semaphore, int waiters) {
        until(semaphore + " has " + waiters + " waiters", () -> semaphore.queueLength() == waiters);
    }

    /** The value of {@code future}, read with the global timeout. */
    static <T> T value(CompletableFuture<T> future) {
        try {
            return future.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        } catch (ExecutionException e) {
            throw new AssertionError("expected a value, the future failed with " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new AssertionError("the future did not complete within " + TIMEOUT, e);
        }
    }

    /** What {@code future} failed with, read with the global timeout. */
    static Throwable failure(CompletableFuture<?> future) {
        try {
            Object value = future.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            throw new AssertionError("expected a failure, the future completed with " + value);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (TimeoutException e) {
            throw new AssertionError("the future did not complete within " + TIMEOUT, e);
        }
    }
}
