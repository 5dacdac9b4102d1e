package dev.signalbox.redis;

/**
 * Thrown to a waiting acquire when {@link RedisSemaphore#setMaxPermits(int)}, called by any
 * client, lowered the maximum below the number of permits the request asked for: it could never
 * be granted, so it was taken out of the queue. Nothing is held.
 */
public class MaxPermitsLoweredException extends RedisSemaphoreException {

    private static final long serialVersionUID = 1L;

    private final int permits;
    private final int maxPermits;

    /** Creates an exception for a request of {@code permits} on semaphore {@code name}. */
    public MaxPermitsLoweredException(String name, int permits, int maxPermits) {
        super("semaphore '" + name + "' was resized to maxPermits " + maxPermits
                + " while a request for " + permits + " permits waited; the request was withdrawn");
        this.permits = permits;
        this.maxPermits = maxPermits;
    }

    /** The permits the withdrawn request asked for. */
    public int permits() {
        return permits;
    }

    /** The maximum the semaphore was resized to. */
    public int maxPermits() {
        return maxPermits;
    }
}
