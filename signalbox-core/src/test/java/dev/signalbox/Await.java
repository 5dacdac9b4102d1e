package dev.signalbox;

import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * Every wait in the core's tests goes through here, with one timeout: a test that would hang fails
 * with a message saying what it waited for. (The backend contract,
 * {@link dev.signalbox.contract.PermitSourceContract}, keeps its own few waits, so that a
 * backend's test needs nothing from the core's tests but that class.)
 */
public final class Await {

    /** How long any single event may take before the test fails; generous for a loaded CI box. */
    public static final Duration TIMEOUT = Duration.ofSeconds(10);

    private Await() {}

    /** The future's value; fails the test if it does not complete within {@link #TIMEOUT}. */
    public static <T> T get(Future<T> future) {
        try {
            return future.get(TIMEOUT.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError("future did not complete within " + TIMEOUT + ": " + future, e);
        } catch (ExecutionException e) {
            throw new CompletionException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for " + future, e);
        }
    }

    /**
     * The exception the future completes with; fails the test if it completes normally or not
     * within {@link #TIMEOUT}. A cancelled future yields its {@link CancellationException}.
     */
    public static Throwable failure(Future<?> future) {
        try {
            Object value = get(future);
            throw new AssertionError("expected a failure but the future completed with " + value);
        } catch (CompletionException e) {
            return e.getCause();
        } catch (CancellationException e) {
            return e;
        }
    }

    /**
     * Polls {@code condition} until it holds; fails the test, naming {@code what}, if it does not
     * within {@link #TIMEOUT}. For states with no event to wait on, such as "the thread is queued".
     */
    public static void until(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("timed out after " + TIMEOUT + " waiting until " + what);
            }
            // A poll interval, not an ordering device: the condition decides, this only yields the CPU.
            LockSupport.parkNanos(50_000);
        }
    }

    /** Waits until {@code semaphore} has exactly {@code waiters} queued. */
    public static void queueLength(Semaphore semaphore, int waiters) {
        until(semaphore + " has " + waiters + " waiters", () -> semaphore.queueLength() == waiters);
    }

    /** Joins {@code thread}; fails the test if it does not end within {@link #TIMEOUT}. */
    public static void join(Thread thread) {
        try {
            if (!thread.join(TIMEOUT)) {
                throw new AssertionError(thread + " did not end within " + TIMEOUT);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while joining " + thread, e);
        }
    }
}
