package dev.signalbox.redis;

/**
 * Thrown when Redis could not be reached, or did not answer, within the client's command
 * timeout: the server is down, unreachable, paused or too slow. Requests that failed so were
 * withdrawn (or are reaped by the server within the waiter TTL); nothing is held.
 */
public class RedisUnavailableException extends RedisSemaphoreException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception with a message that names the server and what was tried.
     *
     * @param message the server and what was tried
     * @param cause the driver's failure: a timeout or a connection error
     */
    public RedisUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
