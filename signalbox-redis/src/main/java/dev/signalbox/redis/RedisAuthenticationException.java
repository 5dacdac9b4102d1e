package dev.signalbox.redis;

/**
 * Thrown when Redis refuses the client's credentials or its ACL forbids a command the semaphore
 * needs. Retrying cannot help, so it is reported at once rather than after a timeout.
 */
public class RedisAuthenticationException extends RedisSemaphoreException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception with the server's reason in its message.
     *
     * @param message what was refused, with the server's reason
     * @param cause the refusal as the Redis driver reported it
     */
    public RedisAuthenticationException(String message, Throwable cause) {
        super(message, cause);
    }
}
