package dev.signalbox;

/**
 * Thrown by an acquire on a semaphore that was closed or failed, and used to fail the waiters
 * queued when it happened. Its cause is what {@code fail(cause)} was given, if anything.
 */
public class SemaphoreClosedException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception for a semaphore closed plainly ({@code cause} null) or failed.
     *
     * @param cause what the semaphore was failed with, or null if it was closed plainly
     */
    public SemaphoreClosedException(Throwable cause) {
        super(cause == null ? "semaphore is closed" : "semaphore failed: " + cause, cause);
    }
}
