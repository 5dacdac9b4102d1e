package dev.signalbox.redis.internal;

import java.io.IOException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import dev.signalbox.redis.RedisAuthenticationException;
import dev.signalbox.redis.RedisSemaphoreException;
import dev.signalbox.redis.RedisUnavailableException;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;

/**
 * One client's link to Redis: the Lettuce client, one pipelined connection for scripts, one
 * pub/sub connection for grant notifications, and the timer thread that renews leases. Shared by
 * every semaphore of the client.
 */
public final class Link implements AutoCloseable {

    private final RedisClient redis;
    private final ClientResources resources;
    private final RedisURI uri;
    private final String server;
    private final String clientId;
    private final String label;
    private final String channelPrefix;
    private final Duration commandTimeout;
    private final ScheduledExecutorService timer;
    private final ExecutorService callbacks;
    private final Map<String, SemaphoreEngine> notified = new ConcurrentHashMap<>();
    private final CopyOnWriteArraySet<SemaphoreEngine> engines = new CopyOnWriteArraySet<>();

    private final Object lock = new Object();
    /* The two connections; a failed attempt is replaced by a new one on next use. Guarded by lock. */
    private CompletableFuture<StatefulRedisConnection<String, String>> connection;
    private CompletableFuture<StatefulRedisPubSubConnection<String, String>> pubSub;
    private boolean closed;
    /* Completes when the last call made so far has been written. Guarded by lock. */
    private CompletableFuture<?> writes = CompletableFuture.completedFuture(null);

    /**
     * Creates a link; nothing connects until the first command, so a client can be built while
     * Redis is down.
     */
    public Link(RedisURI uri, String keyPrefix, Duration commandTimeout, String label) {
        this.uri = Objects.requireNonNull(uri, "uri");
        this.label = Objects.requireNonNull(label, "label");
        this.commandTimeout = Objects.requireNonNull(commandTimeout, "commandTimeout");
        this.server = uri.getHost() + ":" + uri.getPort();
        this.clientId = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong())
                + HexFormat.of().toHexDigits(System.nanoTime());
        this.channelPrefix = keyPrefix + ":ev:";
        uri.setTimeout(commandTimeout);
        // Reconnect soon after Redis comes back: Lettuce's default backoff grows to 30 s.
        this.resources = ClientResources.builder()
                .reconnectDelay(Delay.exponential(Duration.ofMillis(10), Duration.ofMillis(500), 2,
                        TimeUnit.MILLISECONDS))
                .build();
        this.redis = RedisClient.create(resources, uri);
        redis.setOptions(ClientOptions.builder()
                .autoReconnect(true)
                // Fail fast while disconnected: our own retries, keyed by request id, decide what
                // to resend, rather than Lettuce replaying stale commands after a reconnect.
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .timeoutOptions(TimeoutOptions.enabled(commandTimeout))
                .socketOptions(SocketOptions.builder().connectTimeout(commandTimeout).build())
                .build());
        // Futures complete here, never on Lettuce's event loop, so a caller's callback may block.
        this.callbacks = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("signalbox-redis-callback-", 0).factory());
        this.timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
            // A platform thread of its own: renewals must not wait behind application work.
            Thread thread = new Thread(runnable, "signalbox-redis-" + clientId.substring(0, 8));
            thread.setDaemon(true);
            return thread;
        });
    }

    /** This client's id, recorded with every lease and queue entry it creates. */
    public String clientId() {
        return clientId;
    }

    /** Who this client is, for status displays: recorded with its leases and queue entries. */
    public String label() {
        return label;
    }

    /** Host and port of the server, for messages. */
    public String server() {
        return server;
    }

    /** The timeout of one command. */
    public Duration commandTimeout() {
        return commandTimeout;
    }

    /** The timer thread on which renewals, rechecks and timeouts run. */
    public ScheduledExecutorService timer() {
        return timer;
    }

    /**
     * Completes callers' futures on a virtual thread, off Lettuce's event loop; after close, on
     * the calling thread (a caller must still hear how its request ended).
     */
    public void complete(Runnable completion) {
        try {
            callbacks.execute(completion);
        } catch (RejectedExecutionException closed) {
            completion.run();
        }
    }

    /** Runs {@code task} on the timer after {@code millis}; after close, fails it at once instead. */
    public void later(Runnable task, Runnable ifClosed, long millis) {
        try {
            timer.schedule(task, millis, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException closed) {
            ifClosed.run();
        }
    }

    /** Whether {@link #close()} was called. */
    public boolean isClosed() {
        synchronized (lock) {
            return closed;
        }
    }

    void register(SemaphoreEngine engine) {
        engines.add(engine);
    }

    void unregister(SemaphoreEngine engine) {
        engines.remove(engine);
    }

    /** The semaphores of this client, for shutdown. */
    public List<SemaphoreEngine> engines() {
        return List.copyOf(engines);
    }

    /**
     * A script's reply, and when the call was written: lease time is counted from that moment,
     * not from before a connection was (re)established.
     */
    public record Reply(List<Object> values, long sentNanos) {
    }

    /**
     * Runs {@code script} by its SHA; if the server does not know it ({@code SCRIPT FLUSH}, a
     * restart, a failover), sends the source once, which also caches it again. Every script is
     * idempotent on its request id, so the second attempt is safe.
     *
     * @return the script's reply; failures are Lettuce exceptions, see {@link #translate}
     */
    public CompletableFuture<Reply> eval(Script script, String[] keys, String[] args) {
        CompletableFuture<Reply> reply = new CompletableFuture<>();
        synchronized (lock) {
            CompletableFuture<StatefulRedisConnection<String, String>> ready = connection();
            // Calls are written in call order even while the connection is being made (futures
            // run their dependents in no promised order): each waits until the one before it
            // was written. Redis then runs them in that order too, which FIFO relies on.
            writes = writes.handle((ignored, failure) -> ready).thenCompose(c -> c).handle((c, failure) -> {
                if (failure != null) {
                    reply.completeExceptionally(failure);
                } else {
                    send(c, script, keys, args).whenComplete((values, error) -> {
                        if (error != null) {
                            reply.completeExceptionally(error);
                        } else {
                            reply.complete(values);
                        }
                    });
                }
                return null;
            });
        }
        return reply;
    }

    private static CompletableFuture<Reply> send(StatefulRedisConnection<String, String> c, Script script,
            String[] keys, String[] args) {
        long sent = System.nanoTime();
        return c.async().<List<Object>>evalsha(script.sha(), ScriptOutputType.MULTI, keys, args)
                .toCompletableFuture()
                .exceptionallyCompose(failure -> isNoScript(failure)
                        ? c.async().<List<Object>>eval(script.source(), ScriptOutputType.MULTI, keys, args)
                                .toCompletableFuture()
                        : CompletableFuture.failedFuture(failure))
                .thenApply(values -> new Reply(values, sent));
    }

    private CompletableFuture<StatefulRedisConnection<String, String>> connection() {
        synchronized (lock) {
            if (closed) {
                return CompletableFuture.failedFuture(new IllegalStateException("the Redis semaphore client is closed"));
            }
            if (connection == null || connection.isCompletedExceptionally()) {
                connection = redis.connectAsync(StringCodec.UTF8, uri).toCompletableFuture();
            }
            return connection;
        }
    }

    /**
     * Registers {@code engine} to hear about grants of request {@code requestId}, and makes sure
     * this client's channel is subscribed. The returned stage completes once the subscription
     * is confirmed (then the engine re-checks, to catch a grant published just before).
     */
    CompletableFuture<Void> listen(String requestId, SemaphoreEngine engine) {
        notified.put(requestId, engine);
        CompletableFuture<StatefulRedisPubSubConnection<String, String>> current;
        synchronized (lock) {
            if (closed) {
                return CompletableFuture.failedFuture(new IllegalStateException("the Redis semaphore client is closed"));
            }
            if (pubSub == null || pubSub.isCompletedExceptionally()) {
                pubSub = redis.connectPubSubAsync(StringCodec.UTF8, uri).toCompletableFuture()
                        .thenCompose(this::subscribe);
            }
            current = pubSub;
        }
        return current.thenApply(c -> null);
    }

    void forget(String requestId) {
        notified.remove(requestId);
    }

    private CompletableFuture<StatefulRedisPubSubConnection<String, String>> subscribe(
            StatefulRedisPubSubConnection<String, String> c) {
        c.addListener(new RedisPubSubAdapter<>() {
            @Override
            public void message(String channel, String message) {
                // On Lettuce's event loop: only hand work over, never block here.
                for (String requestId : message.split(" ")) {
                    SemaphoreEngine engine = notified.get(requestId);
                    if (engine != null) {
                        engine.requestTouch();
                    }
                }
            }

            @Override
            public void subscribed(String channel, long count) {
                // Also called when Lettuce re-subscribes after a reconnect: anything published
                // while we were away is lost, so every semaphore with waiters re-checks now.
                for (SemaphoreEngine engine : engines) {
                    engine.requestTouchIfWaiting();
                }
            }
        });
        return c.async().subscribe(channelPrefix + clientId).toCompletableFuture().thenApply(v -> c);
    }

    /** The channel prefix the scripts publish grants on (followed by the client id). */
    public String channelPrefix() {
        return channelPrefix;
    }

    /**
     * Turns a failure of a Redis call into the exception the caller sees: unavailability
     * (transient, retried), authentication, or another {@link RedisSemaphoreException}.
     */
    public RuntimeException translate(Throwable failure, String what) {
        Throwable cause = unwrap(failure);
        if (cause instanceof RedisSemaphoreException known) {
            return known;
        }
        if (cause instanceof IllegalStateException closedClient) {
            return closedClient;
        }
        String message = deepMessage(cause);
        if (message.contains("WRONGPASS") || message.contains("NOAUTH") || message.contains("NOPERM")
                || message.contains("invalid password") || message.contains("without any password configured")) {
            return new RedisAuthenticationException(what + " failed: Redis at " + server
                    + " refused the credentials or the ACL: " + message, cause);
        }
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof javax.net.ssl.SSLException) {
                // A certificate or protocol mismatch does not pass by itself: say so at once.
                return new RedisSemaphoreException(what + " failed: TLS with Redis at " + server + " failed: "
                        + message, cause);
            }
        }
        if (isTransient(cause)) {
            return new RedisUnavailableException(what + " failed: Redis at " + server
                    + " is unreachable or did not answer within " + commandTimeout.toMillis() + " ms: " + message, cause);
        }
        return new RedisSemaphoreException(what + " failed: Redis at " + server + " answered: " + message, cause);
    }

    private static boolean isTransient(Throwable cause) {
        if (cause instanceof RedisCommandExecutionException) {
            String message = String.valueOf(cause.getMessage());
            // Errors of a server that is starting, failing over or busy, not of the request.
            return message.startsWith("LOADING") || message.startsWith("BUSY") || message.startsWith("MASTERDOWN")
                    || message.startsWith("READONLY") || message.startsWith("TRYAGAIN");
        }
        return cause instanceof RedisCommandTimeoutException || cause instanceof RedisConnectionException
                || cause instanceof RedisException || cause instanceof IOException
                || cause instanceof java.util.concurrent.TimeoutException;
    }

    private static boolean isNoScript(Throwable failure) {
        Throwable cause = unwrap(failure);
        return cause instanceof RedisCommandExecutionException && String.valueOf(cause.getMessage()).startsWith("NOSCRIPT");
    }

    private static Throwable unwrap(Throwable failure) {
        Throwable cause = failure;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

    private static String deepMessage(Throwable failure) {
        StringBuilder text = new StringBuilder();
        for (Throwable t = failure; t != null && text.length() < 500; t = t.getCause()) {
            if (t.getMessage() != null && text.indexOf(t.getMessage()) < 0) {
                text.append(text.isEmpty() ? "" : ": ").append(t.getMessage());
            }
        }
        return text.isEmpty() ? failure.getClass().getName() : text.toString();
    }

    /** Closes both connections, the Lettuce client and the timer; in-flight calls fail. */
    @Override
    public void close() {
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
        }
        timer.shutdownNow();
        callbacks.shutdown();
        redis.shutdown(Duration.ZERO, commandTimeout);
        resources.shutdown(0, commandTimeout.toMillis(), TimeUnit.MILLISECONDS);
    }
}
