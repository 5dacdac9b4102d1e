package dev.signalbox.redis;

/**
 * Thrown when a client opens a semaphore with a maximum other than the one stored in Redis by
 * whoever created it. Clients never silently disagree about the capacity of a semaphore.
 */
public class MaxPermitsMismatchException extends RedisSemaphoreException {

    private static final long serialVersionUID = 1L;

    /** The maximum stored in Redis. */
    private final int storedMaxPermits;
    /** The maximum this client asked for. */
    private final int requestedMaxPermits;

    /**
     * Creates an exception for semaphore {@code name}.
     *
     * @param name the semaphore's name
     * @param storedMaxPermits the maximum stored in Redis by whoever created the semaphore
     * @param requestedMaxPermits the maximum this client opened it with
     */
    public MaxPermitsMismatchException(String name, int storedMaxPermits, int requestedMaxPermits) {
        super("semaphore '" + name + "' exists in Redis with maxPermits " + storedMaxPermits
                + ", but this client opened it with maxPermits " + requestedMaxPermits);
        this.storedMaxPermits = storedMaxPermits;
        this.requestedMaxPermits = requestedMaxPermits;
    }

    /** {@return the maximum stored in Redis} */
    public int storedMaxPermits() {
        return storedMaxPermits;
    }

    /** {@return the maximum this client asked for} */
    public int requestedMaxPermits() {
        return requestedMaxPermits;
    }
}
