package dev.signalbox.redis;

/**
 * Thrown when a Redis semaphore cannot do what was asked because of Redis: the server cannot be
 * reached, refuses the credentials, or holds something under the semaphore's keys that is not
 * a semaphore of this shape. The subclasses say which; none of them leaves a permit held.
 */
public class RedisSemaphoreException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception with a message that says what failed.
     *
     * @param message what failed
     */
    public RedisSemaphoreException(String message) {
        super(message);
    }

    /**
     * Creates an exception with a message that says what failed, and the failure behind it.
     *
     * @param message what failed
     * @param cause the failure behind it
     */
    public RedisSemaphoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
