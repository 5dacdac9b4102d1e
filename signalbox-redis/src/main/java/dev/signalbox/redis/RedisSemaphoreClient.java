package dev.signalbox.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import dev.signalbox.redis.internal.Link;
import dev.signalbox.redis.internal.SemaphoreEngine;
import io.lettuce.core.RedisURI;

/**
 * The connection of one process to one Redis server, shared by all its {@link RedisSemaphore}s:
 * one Lettuce client, one connection for commands, one for notifications, one renewal thread.
 * Create one per process and Redis server, and close it when done.
 *
 * {@snippet class=dev.signalbox.redis.snippets.RedisSnippets region=client :
 * try (RedisSemaphoreClient redis = RedisSemaphoreClient.builder("redis://:secret@redis.internal:6379")
 *         .keyPrefix("billing")
 *         .build()) {
 *     RedisSemaphore exports = redis.semaphore("exports", 4);
 *     try (LeasedPermit permit = exports.acquirePermit()) {
 *         runExport(permit.fencingToken());
 *     }
 * }
 * }
 *
 * <p>URIs are read by Lettuce: {@code redis://[[user]:password@]host[:port][/database]}, and
 * {@code rediss://} for TLS. Nothing connects until the first command, so a client can be built
 * while Redis is down; commands then fail with {@link RedisUnavailableException} within the
 * command timeout.
 *
 * <p>Thread-safe.
 */
public final class RedisSemaphoreClient implements AutoCloseable {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._:\\-/@]{1,200}");

    private final Link link;
    private final String keyPrefix;
    private final Duration leaseTtl;
    private final Duration waiterTtl;
    private final Duration recheckInterval;

    private RedisSemaphoreClient(Builder builder, RedisURI uri) {
        this.keyPrefix = builder.keyPrefix;
        this.leaseTtl = builder.leaseTtl;
        this.waiterTtl = builder.waiterTtl;
        this.recheckInterval = builder.recheckInterval;
        this.link = new Link(uri, builder.keyPrefix, builder.commandTimeout, builder.label);
    }

    /**
     * A client for {@code redisUri} with the defaults of {@link Builder}.
     *
     * @param redisUri the server, as {@code redis://[[user]:password@]host[:port][/database]}, or
     *     {@code rediss://} for TLS
     * @return a client that connects on first use
     * @throws IllegalArgumentException if the URI is not one Lettuce can read
     */
    public static RedisSemaphoreClient of(String redisUri) {
        return builder(redisUri).build();
    }

    /**
     * Starts building a client for {@code redisUri}.
     *
     * @param redisUri the server, as {@code redis://[[user]:password@]host[:port][/database]}, or
     *     {@code rediss://} for TLS
     * @return a builder with the defaults
     * @throws NullPointerException if {@code redisUri} is null
     */
    public static Builder builder(String redisUri) {
        return new Builder(Objects.requireNonNull(redisUri, "redisUri"));
    }

    /**
     * The semaphore {@code name} with {@code maxPermits} permits and the client's default lease
     * TTL. The first client to use a name stores its maximum in Redis; a client that later opens
     * it with another maximum, or opened it before {@link RedisSemaphore#setMaxPermits(int)}
     * changed it, gets {@link MaxPermitsMismatchException} from every acquire.
     *
     * @param name the semaphore's name, shared by every client of the same key prefix
     * @param maxPermits its maximum, the same in every client
     * @return a handle on the semaphore
     * @throws IllegalArgumentException if {@code name} is empty, longer than 200 characters or has
     *     characters other than letters, digits and {@code . _ : - / @}, or if {@code maxPermits}
     *     is not positive
     * @throws IllegalStateException if this client is closed
     */
    public RedisSemaphore semaphore(String name, int maxPermits) {
        return semaphore(name, maxPermits, leaseTtl);
    }

    /**
     * The semaphore {@code name} with {@code maxPermits} permits whose leases last
     * {@code leaseTtl} without renewal; see {@link #semaphore(String, int)}.
     *
     * @param name the semaphore's name, shared by every client of the same key prefix
     * @param maxPermits its maximum, the same in every client
     * @param leaseTtl how long a permit outlives its holder's last renewal
     * @return a handle on the semaphore
     * @throws IllegalArgumentException as {@link #semaphore(String, int)}, or if {@code leaseTtl}
     *     is shorter than 500 ms
     * @throws IllegalStateException if this client is closed
     */
    public RedisSemaphore semaphore(String name, int maxPermits, Duration leaseTtl) {
        Objects.requireNonNull(name, "name");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("name must be 1-200 letters, digits or . _ : - / @, got '" + name + "'");
        }
        if (maxPermits <= 0) {
            throw new IllegalArgumentException("maxPermits must be positive, got " + maxPermits);
        }
        checkLeaseTtl(leaseTtl);
        if (link.isClosed()) {
            throw new IllegalStateException("the Redis semaphore client is closed");
        }
        return new RedisSemaphore(new SemaphoreEngine(link, keyPrefix, name, maxPermits, leaseTtl, waiterTtl,
                recheckInterval));
    }

    /** {@return the id this client records with its leases and queue entries (see the snapshots)} */
    public String clientId() {
        return link.clientId();
    }

    /**
     * Withdraws this client's waiting requests, releases its leases, stops renewing, and closes
     * the connections. Waits at most the command timeout for Redis to confirm the releases;
     * leases it could not release end by themselves when their TTL runs out.
     */
    @Override
    public void close() {
        if (link.isClosed()) {
            return;
        }
        List<CompletableFuture<Void>> pending = new ArrayList<>();
        for (SemaphoreEngine engine : link.engines()) {
            pending.add(engine.shutdown());
        }
        try {
            CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new))
                    .get(link.commandTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            // Releases that did not finish end with their lease TTL; closing goes on regardless.
        }
        link.close();
    }

    @Override
    public String toString() {
        return "RedisSemaphoreClient[server=" + link.server() + ", keyPrefix=" + keyPrefix + ", clientId="
                + link.clientId() + "]";
    }

    private static Duration checkLeaseTtl(Duration leaseTtl) {
        Objects.requireNonNull(leaseTtl, "leaseTtl");
        if (leaseTtl.compareTo(Duration.ofMillis(500)) < 0) {
            throw new IllegalArgumentException("leaseTtl must be at least 500ms, got " + leaseTtl);
        }
        return leaseTtl;
    }

    /**
     * Settings of a {@link RedisSemaphoreClient}. Defaults: key prefix {@code signalbox}, command
     * timeout 3 s, lease TTL 30 s (renewed every third of it), waiter TTL 10 s, recheck interval
     * 2 s.
     */
    public static final class Builder {

        private final String redisUri;
        private String keyPrefix = "signalbox";
        private Duration commandTimeout = Duration.ofSeconds(3);
        private Duration leaseTtl = Duration.ofSeconds(30);
        private Duration waiterTtl = Duration.ofSeconds(10);
        private Duration recheckInterval = Duration.ofSeconds(2);
        private String label = defaultLabel();

        private Builder(String redisUri) {
            this.redisUri = redisUri;
        }

        /**
         * Who this client is, as status displays show its leases and queued requests: by
         * default {@code pid@host}; a CLI might add the command it runs.
         *
         * @param label who this client is
         * @return this builder
         * @throws IllegalArgumentException if it is empty, longer than 200 characters, or has
         *     control characters
         */
        public Builder label(String label) {
            Objects.requireNonNull(label, "label");
            if (label.isEmpty() || label.length() > 200 || label.chars().anyMatch(Character::isISOControl)) {
                throw new IllegalArgumentException(
                        "label must be 1-200 characters without control characters, got '" + label + "'");
            }
            this.label = label;
            return this;
        }

        /**
         * The first part of every key and channel, so that applications sharing a Redis server
         * do not share semaphores by accident (and ACLs can be scoped to {@code ~prefix:*}).
         *
         * @param keyPrefix the first part of every key and channel
         * @return this builder
         * @throws IllegalArgumentException if it is empty, longer than 100 characters, or has
         *     characters other than letters, digits and {@code . _ : - / @}
         */
        public Builder keyPrefix(String keyPrefix) {
            Objects.requireNonNull(keyPrefix, "keyPrefix");
            if (keyPrefix.length() > 100 || !NAME.matcher(keyPrefix).matches()) {
                throw new IllegalArgumentException(
                        "keyPrefix must be 1-100 letters, digits or . _ : - / @, got '" + keyPrefix + "'");
            }
            this.keyPrefix = keyPrefix;
            return this;
        }

        /**
         * How long one command may take, connecting included, before it counts as failed; an
         * acquire whose commands keep failing for this long fails with
         * {@link RedisUnavailableException}.
         *
         * @param commandTimeout how long one command may take
         * @return this builder
         * @throws IllegalArgumentException if it is not positive
         */
        public Builder commandTimeout(Duration commandTimeout) {
            this.commandTimeout = positive(commandTimeout, "commandTimeout");
            return this;
        }

        /**
         * The default lease TTL of the semaphores: how long a permit outlives its holder's last
         * renewal. Shorter gives permits of crashed holders back sooner; longer survives longer
         * pauses of the holder and of Redis.
         *
         * @param leaseTtl how long a permit outlives its holder's last renewal
         * @return this builder
         * @throws IllegalArgumentException if it is shorter than 500 ms
         */
        public Builder leaseTtl(Duration leaseTtl) {
            this.leaseTtl = checkLeaseTtl(leaseTtl);
            return this;
        }

        /**
         * How long a queued request outlives its client's last heartbeat, and how long a permit
         * handed to a waiter stays reserved until its client claims it.
         *
         * @param waiterTtl how long a queued request or a reserved permit lasts without its client
         * @return this builder
         * @throws IllegalArgumentException if it is not positive
         */
        public Builder waiterTtl(Duration waiterTtl) {
            this.waiterTtl = positive(waiterTtl, "waiterTtl");
            return this;
        }

        /**
         * How often a client with queued requests asks Redis about them even without a
         * notification: the longest a lost notification can delay a grant. It is also the
         * waiters' heartbeat.
         *
         * @param recheckInterval how often queued requests are checked without a notification
         * @return this builder
         * @throws IllegalArgumentException if it is not positive
         */
        public Builder recheckInterval(Duration recheckInterval) {
            this.recheckInterval = positive(recheckInterval, "recheckInterval");
            return this;
        }

        /**
         * Builds the client; it connects on first use.
         *
         * @return the client
         * @throws IllegalArgumentException if the URI cannot be read, or if the waiter TTL is not
         *     at least twice the recheck interval (a waiter would miss its own heartbeat)
         */
        public RedisSemaphoreClient build() {
            if (waiterTtl.compareTo(recheckInterval.multipliedBy(2)) < 0) {
                throw new IllegalArgumentException("waiterTtl must be at least twice the recheckInterval "
                        + recheckInterval + ", got " + waiterTtl);
            }
            RedisURI uri;
            try {
                uri = RedisURI.create(redisUri);
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("redisUri is not a Redis URI: " + mask(redisUri), e);
            }
            return new RedisSemaphoreClient(this, uri);
        }

        private static Duration positive(Duration value, String name) {
            Objects.requireNonNull(value, name);
            if (value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException(name + " must be positive, got " + value);
            }
            return value;
        }

        private static String defaultLabel() {
            String host = System.getenv("HOSTNAME");
            if (host == null || host.isBlank()) {
                try {
                    // The kernel's name: no DNS lookup that could stall building a client.
                    host = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/sys/kernel/hostname")).strip();
                } catch (java.io.IOException | RuntimeException e) {
                    host = "unknown-host";
                }
            }
            return ProcessHandle.current().pid() + "@" + host;
        }

        private static String mask(String uri) {
            return uri.replaceAll("//[^@/]*@", "//***@");
        }
    }
}
