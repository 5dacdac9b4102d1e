package dev.signalbox.redis;

/**
 * Thrown to a waiting acquire when {@link RedisSemaphore#setMaxPermits(int)}, called by any
 * client, lowered the maximum below the number of permits the request asked for: it could never
 * be granted, so it was taken out of the queue. Nothing is held.
 */
public class MaxPermitsLoweredException extends RedisSemaphoreException {

    private static final long serialVersionUID = 1L;

    /** The permits the withdrawn request asked for. */
    private final int permits;
    /** The maximum the semaphore was resized to. */
    private final int maxPermits;

    /**
     * Creates an exception for a request of {@code permits} on semaphore {@code name}.
     *
     * @param name the semaphore's name
     * @param permits the permits the withdrawn request asked for
     * @param maxPermits the maximum the semaphore was resized to
     */
    public MaxPermitsLoweredException(String name, int permits, int maxPermits) {
        super("semaphore '" + name + "' was resized to maxPermits " + maxPermits
                + " while a request for " + permits + " permits waited; the request was withdrawn");
        this.permits = permits;
        this.maxPermits = maxPermits;
    }

    /** {@return the permits the withdrawn request asked for} */
    public int permits() {
        return permits;
    }

    /** {@return the maximum the semaphore was resized to} */
    public int maxPermits() {
        return maxPermits;
    }
}
