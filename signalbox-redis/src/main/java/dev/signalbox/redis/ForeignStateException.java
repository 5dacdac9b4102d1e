package dev.signalbox.redis;

/**
 * Thrown when a key the semaphore uses holds a value of another type, written by something
 * else. The semaphore changes nothing in that case: it checks every key before it writes.
 */
public class ForeignStateException extends RedisSemaphoreException {

    private static final long serialVersionUID = 1L;

    private final String key;

    /** Creates an exception for {@code key}, with a message that names the type found there. */
    public ForeignStateException(String key, String message) {
        super(message);
        this.key = key;
    }

    /** The Redis key that holds the foreign value. */
    public String key() {
        return key;
    }
}
