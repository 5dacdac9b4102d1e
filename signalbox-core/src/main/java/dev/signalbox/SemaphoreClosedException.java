package dev.signalbox;

/**
 * Thrown by an acquire on a semaphore that was closed or failed, and used to fail the waiters
 * queued when it happened. Its cause is what {@code fail(cause)} was given, if anything.
 */
public class SemaphoreClosedException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    public SemaphoreClosedException(Throwable cause) {
        super(cause == null ? "semaphore is closed" : "semaphore failed: " + cause, cause);
    }
}
