package dev.signalbox.redis;

/**
 * Thrown when a key the semaphore uses holds a value of another type, written by something
 * else. The semaphore changes nothing in that case: it checks every key before it writes.
 */
public class ForeignStateException extends RedisSemaphoreException {

    private static final long serialVersionUID = 1L;

    /** The Redis key that holds the foreign value. */
    private final String key;

    /**
     * Creates an exception for {@code key}, with a message that names the type found there.
     *
     * @param key the Redis key that holds the foreign value
     * @param message what was found under {@code key}, and what the semaphore expected
     */
    public ForeignStateException(String key, String message) {
        super(message);
        this.key = key;
    }

    /** {@return the Redis key that holds the foreign value} */
    public String key() {
        return key;
    }
}
