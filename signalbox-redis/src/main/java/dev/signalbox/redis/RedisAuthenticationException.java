package dev.signalbox.redis;

/**
 * Thrown when Redis refuses the client's credentials or its ACL forbids a command the semaphore
 * needs. Retrying cannot help, so it is reported at once rather than after a timeout.
 */
public class RedisAuthenticationException extends RedisSemaphoreException {

    private static final long serialVersionUID = 1L;

    /** Creates an exception with the server's reason in its message. */
    public RedisAuthenticationException(String message, Throwable cause) {
        super(message, cause);
    }
}
