package dev.signalbox.redis.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import dev.signalbox.redis.ForeignStateException;
import dev.signalbox.redis.LeasedPermit;
import dev.signalbox.redis.MaxPermitsMismatchException;
import dev.signalbox.redis.RedisSemaphoreException;
import dev.signalbox.redis.RedisSemaphoreSnapshot;
import dev.signalbox.redis.RedisUnavailableException;

/**
 * The client side of one Redis semaphore: submits requests, keeps their queue entries and leases
 * alive with one TOUCH per tick, and turns replies into grants, losses and typed errors.
 */
public final class SemaphoreEngine {

    private static final long NO_DEADLINE = Long.MAX_VALUE;

    private final Link link;
    private final String name;
    /** The maximum this client knows, sent with every call; changed only by its own resize. */
    private volatile int maxPermits;
    private final long leaseMs;
    private final long waiterMs;
    private final long recheckNanos;
    private final long renewNanos;
    /** How long a grant or renewal surely lasts at the server, counted from when it was sent. */
    private final long validityNanos;
    private final String[] keys;
    private final Map<String, Entry> entries = new ConcurrentHashMap<>();
    /** TOUCH requests not yet served; the one that raises it from 0 sends (one TOUCH in flight). */
    private final AtomicInteger touchRequests = new AtomicInteger();
    private final ScheduledFuture<?> ticker;
    /** Cancels and releases not yet answered, which closing the client waits for. */
    private final Map<CompletableFuture<?>, Boolean> inFlight = new ConcurrentHashMap<>();

    /** The epoch of the semaphore's state as last seen in a reply ("" before the first). */
    private volatile String epoch = "";
    /** When the last TOUCH was sent, System.nanoTime(). */
    private volatile long lastTouch = System.nanoTime();
    /** When calls started failing for want of Redis, or 0 while Redis answers. */
    private volatile long unreachableSince;

    /*
     * Overview. Redis holds the truth (see prologue.lua for the keys and their invariant); this
     * class holds what this client must keep alive there: queued Requests and held Leases, in
     * `entries` by id. Every transition of a Request or Lease is a CAS on its state, so a reply,
     * a cancellation and a timeout racing each other resolve exactly once. Requests are never
     * retried under a new id except by the server itself (a live waiter that lost its entry is
     * re-queued by TOUCH), so every script call is idempotent on the id and retries are safe.
     */

    public SemaphoreEngine(Link link, String keyPrefix, String name, int maxPermits, Duration leaseTtl,
            Duration waiterTtl, Duration recheck) {
        this.link = link;
        this.name = name;
        this.maxPermits = maxPermits;
        this.leaseMs = leaseTtl.toMillis();
        this.waiterMs = waiterTtl.toMillis();
        this.recheckNanos = recheck.toNanos();
        this.renewNanos = leaseTtl.toNanos() / 3;
        // 2 % for a monotonic clock that runs slow, and at least 100 ms of margin.
        long margin = Math.max(TimeUnit.MILLISECONDS.toNanos(100), leaseTtl.toNanos() / 50);
        this.validityNanos = leaseTtl.toNanos() - leaseTtl.toNanos() / 50 - margin;
        String base = keyPrefix + ":{" + name + "}:";
        this.keys = new String[] {base + "meta", base + "holders", base + "hold", base + "queue", base + "qdl",
            base + "wait", base + "tomb", base + "tombt"};
        long tick = Math.max(TimeUnit.MILLISECONDS.toNanos(20), Math.min(renewNanos, recheckNanos) / 4);
        link.register(this);
        this.ticker = link.timer().scheduleWithFixedDelay(this::tick, tick, tick, TimeUnit.NANOSECONDS);
    }

    public String name() {
        return name;
    }

    public int maxPermits() {
        return maxPermits;
    }

    Link link() {
        return link;
    }

    long localExpiry(long sentNanos) {
        return sentNanos + validityNanos;
    }

    // ---------------------------------------------------------------- acquiring

    /**
     * Starts an acquire of {@code weight} permits. {@code timeoutNanos} 0 does not queue (the
     * future completes with null if the permits are not free at once, or someone waits);
     * {@link Long#MAX_VALUE} waits without limit.
     */
    public CompletableFuture<LeasedPermit> acquire(int weight, long timeoutNanos) {
        if (link.isClosed()) {
            throw new IllegalStateException("the Redis semaphore client is closed");
        }
        boolean canWait = timeoutNanos > 0;
        Request request = new Request(this, newId(), weight, canWait);
        request.future.whenComplete((permit, failure) -> {
            if (failure != null) {
                abandon(request);
            }
        });
        if (canWait && timeoutNanos != NO_DEADLINE) {
            request.timeout = link.timer().schedule(() -> request.future.completeExceptionally(
                    unreachableSince != 0
                            ? new RedisUnavailableException("acquire on semaphore '" + name + "' timed out while Redis at "
                                    + link.server() + " could not be reached", null)
                            : new TimeoutException("no permit of semaphore '" + name + "' within "
                                    + Duration.ofNanos(timeoutNanos))),
                    timeoutNanos, TimeUnit.NANOSECONDS);
        }
        submit(request);
        return request.future;
    }

    private void submit(Request request) {
        if (request.state.get() != Request.State.SUBMITTING) {
            return;
        }
        call(Script.ACQUIRE, request.id, link.clientId(), Integer.toString(request.weight), request.canWait ? "1" : "0",
                link.label())
                .whenComplete((answer, failure) -> {
                    if (failure != null) {
                        submitFailed(request, failure);
                        return;
                    }
                    reachable();
                    List<Object> reply = answer.values();
                    long sent = answer.sentNanos();
                    RuntimeException error = error(reply);
                    if (error != null) {
                        failRequest(request, error);
                        return;
                    }
                    String status = (String) reply.get(0);
                    switch (status) {
                        case "HELD" -> {
                            epoch = (String) reply.get(2);
                            granted(request, (Long) reply.get(1), sent);
                        }
                        case "QUEUED" -> {
                            epoch = (String) reply.get(2);
                            queued(request);
                        }
                        case "BUSY" -> {
                            epoch = (String) reply.get(1);
                            if (request.state.compareAndSet(Request.State.SUBMITTING, Request.State.DONE)) {
                                link.complete(() -> request.future.grant(null));
                            }
                        }
                        default -> failRequest(request, new RedisSemaphoreException("acquire on semaphore '" + name
                                + "' found its request already ended on the server: " + reply));
                    }
                });
    }

    private void submitFailed(Request request, Throwable failure) {
        RuntimeException error = link.translate(failure, "acquire on semaphore '" + name + "'");
        if (!(error instanceof RedisUnavailableException)) {
            failRequest(request, error);
            return;
        }
        unreachable();
        long now = System.nanoTime();
        if (request.failingSince == 0) {
            request.failingSince = now;
        }
        // Retry the same id (idempotent) for as long as one command may take, then give up.
        if (now - request.failingSince < link.commandTimeout().toNanos()) {
            long backoff = Math.min(500, 25L << Math.min(request.attempts++, 5));
            link.later(() -> submit(request), () -> failRequest(request, error), backoff);
        } else {
            failRequest(request, error);
        }
    }

    private void queued(Request request) {
        if (request.state.compareAndSet(Request.State.SUBMITTING, Request.State.QUEUED)) {
            entries.put(request.id, request);
            // Once the subscription is confirmed, look once: a grant may have been published
            // between the enqueue and the subscription taking effect.
            link.listen(request.id, this).whenComplete((ignored, failure) -> requestTouch());
        }
    }

    /** Completes {@code request} with a lease, unless it was abandoned (its CANCEL returns the grant). */
    void granted(Request request, long token, long sentNanos) {
        Request.State previous = request.state.get();
        if ((previous == Request.State.SUBMITTING || previous == Request.State.QUEUED)
                && request.state.compareAndSet(previous, Request.State.GRANTED)) {
            entries.remove(request.id, request);
            link.forget(request.id);
            cancelTimeout(request);
            Lease lease = new Lease(this, request.id, request.weight, token, localExpiry(sentNanos));
            entries.put(lease.id(), lease);
            link.complete(() -> {
                if (!request.future.grant(lease)) {
                    lease.close(); // the caller gave up just as the grant arrived: pass it on
                }
            });
        }
    }

    void failRequest(Request request, RuntimeException error) {
        link.complete(() -> request.future.completeExceptionally(error));
    }

    private void abandon(Request request) {
        Request.State previous;
        do {
            previous = request.state.get();
            if (previous != Request.State.SUBMITTING && previous != Request.State.QUEUED) {
                return;
            }
        } while (!request.state.compareAndSet(previous, Request.State.ABANDONED));
        entries.remove(request.id, request);
        link.forget(request.id);
        cancelTimeout(request);
        // The ACQUIRE may have run (or may still run, if it is in flight): CANCEL dequeues it,
        // returns a grant that raced it, or leaves a tombstone that stops a late ACQUIRE.
        track(retrying(Script.CANCEL, "cancel on semaphore '" + name + "'", System.nanoTime() + retryWindow(),
                () -> true, request.id));
    }

    private static void cancelTimeout(Request request) {
        var timeout = request.timeout;
        if (timeout != null) {
            timeout.cancel(false);
        }
    }

    // ---------------------------------------------------------------- releasing

    /** Sends RELEASE for {@code id}, retrying while the lease could still exist on the server. */
    CompletableFuture<Void> release(String id) {
        return track(retrying(Script.RELEASE, "release on semaphore '" + name + "'", System.nanoTime() + retryWindow(),
                () -> true, id)).thenApply(reply -> null);
    }

    private <T> CompletableFuture<T> track(CompletableFuture<T> call) {
        inFlight.put(call, Boolean.TRUE);
        call.whenComplete((ignored, failure) -> inFlight.remove(call));
        return call;
    }

    void releaseQuietly(String id) {
        release(id).exceptionally(failure -> null);
    }

    void forget(Entry entry) {
        entries.remove(entry.id(), entry);
    }

    /** After this long, the server has reaped whatever the request or lease left behind. */
    private long retryWindow() {
        return TimeUnit.MILLISECONDS.toNanos(Math.max(leaseMs, waiterMs));
    }

    // ---------------------------------------------------------------- heartbeat

    /** Asks for one TOUCH soon; requests while one is in flight fold into one follow-up. */
    void requestTouch() {
        if (touchRequests.getAndIncrement() == 0) {
            touch();
        }
    }

    void requestTouchIfWaiting() {
        if (entries.values().stream().anyMatch(e -> e instanceof Request)) {
            requestTouch();
        }
    }

    private void touch() {
        int observed = touchRequests.get();
        List<Entry> batch = new ArrayList<>(entries.values());
        if (batch.isEmpty()) {
            finishTouch(observed);
            return;
        }
        String[] args = new String[2 + 3 * batch.size()];
        args[0] = link.clientId();
        args[1] = link.label();
        int i = 2;
        for (Entry entry : batch) {
            args[i++] = String.valueOf(entry.kind());
            args[i++] = entry.id();
            args[i++] = Integer.toString(entry.weight());
        }
        lastTouch = System.nanoTime();
        call(Script.TOUCH, args).whenComplete((answer, failure) -> {
            try {
                if (failure != null) {
                    touchFailed(batch, link.translate(failure, "renewal on semaphore '" + name + "'"));
                    return;
                }
                reachable();
                List<Object> reply = answer.values();
                long sent = answer.sentNanos();
                RuntimeException error = error(reply);
                if (error != null) {
                    touchFailed(batch, error);
                    return;
                }
                epoch = (String) reply.get(0);
                for (int k = 0; k < batch.size(); k++) {
                    batch.get(k).touched((String) reply.get(1 + 2 * k), reply.get(2 + 2 * k), sent);
                }
            } finally {
                finishTouch(observed);
            }
        });
    }

    private void finishTouch(int observed) {
        if (touchRequests.addAndGet(-observed) > 0) {
            touch();
        }
    }

    private void touchFailed(List<Entry> batch, RuntimeException error) {
        boolean transientFailure = error instanceof RedisUnavailableException;
        if (transientFailure) {
            unreachable();
        }
        long since = unreachableSince;
        for (Entry entry : batch) {
            // Leases end by their local expiry (tick); a waiter gives up once the server would
            // have dropped it anyway, or at once if the failure is not one that can pass.
            if (entry instanceof Request request && (!transientFailure
                    || System.nanoTime() - since > TimeUnit.MILLISECONDS.toNanos(waiterMs))) {
                failRequest(request, error);
            }
        }
    }

    private void tick() {
        long now = System.nanoTime();
        boolean waiting = false;
        boolean holding = false;
        for (Entry entry : entries.values()) {
            if (entry instanceof Lease lease) {
                if (now - lease.expiresAt() >= 0) {
                    lease.markLost();
                } else {
                    holding = true;
                }
            } else {
                waiting = true;
            }
        }
        long quiet = now - lastTouch;
        if ((waiting && quiet >= recheckNanos) || (holding && quiet >= renewNanos)) {
            requestTouch();
        }
    }

    // ---------------------------------------------------------------- operating

    /**
     * Changes the stored maximum to {@code newMax} (one script call), if the stored one is still
     * the one this client knows; fails with {@link MaxPermitsMismatchException} otherwise.
     */
    public CompletableFuture<Void> resize(int newMax) {
        return retrying(Script.RESIZE, "resize of semaphore '" + name + "'",
                System.nanoTime() + link.commandTimeout().toNanos(), () -> true, Integer.toString(newMax))
                .thenApply(reply -> {
                    maxPermits = newMax;
                    return null;
                });
    }

    /** Stops ({@code true}) or resumes ({@code false}) all grants, for every client (one script call). */
    public CompletableFuture<Void> pause(boolean paused) {
        return retrying(Script.PAUSE, (paused ? "pause" : "resume") + " of semaphore '" + name + "'",
                System.nanoTime() + link.commandTimeout().toNanos(), () -> true, paused ? "1" : "0")
                .thenApply(reply -> null);
    }

    // ---------------------------------------------------------------- inspection and shutdown

    /** Reads the semaphore's state in Redis (one script call, no changes). */
    public CompletableFuture<RedisSemaphoreSnapshot> inspect() {
        return link.eval(Script.INSPECT, keys, new String[0])
                .handle((answer, failure) -> {
                    if (failure != null) {
                        throw link.translate(failure, "inspect of semaphore '" + name + "'");
                    }
                    RuntimeException error = error(answer.values());
                    if (error != null) {
                        throw error;
                    }
                    return Snapshots.of(name, maxPermits, answer.values());
                });
    }

    /** Withdraws every waiting request and releases every lease of this client on this semaphore. */
    public CompletableFuture<Void> shutdown() {
        ticker.cancel(false);
        link.unregister(this);
        for (Entry entry : entries.values()) {
            if (entry instanceof Lease lease) {
                lease.close();
            } else if (entry instanceof Request request) {
                request.future.cancel(false);
            }
        }
        CompletableFuture<?>[] pending = inFlight.keySet().stream().map(call -> call.exceptionally(failure -> null))
                .toArray(CompletableFuture[]::new);
        return CompletableFuture.allOf(pending);
    }

    // ---------------------------------------------------------------- calls

    private CompletableFuture<Link.Reply> call(Script script, String... specific) {
        String[] args = new String[5 + specific.length];
        args[0] = Integer.toString(maxPermits);
        args[1] = Long.toString(leaseMs);
        args[2] = Long.toString(waiterMs);
        args[3] = link.channelPrefix();
        args[4] = epoch;
        System.arraycopy(specific, 0, args, 5, specific.length);
        return link.eval(script, keys, args);
    }

    /** Calls {@code script} until it answers, fails for good, or {@code until} passes. */
    private CompletableFuture<List<Object>> retrying(Script script, String what, long until, BooleanSupplier wanted,
            String... specific) {
        CompletableFuture<List<Object>> result = new CompletableFuture<>();
        attempt(script, what, until, wanted, specific, result, 0);
        return result;
    }

    private void attempt(Script script, String what, long until, BooleanSupplier wanted, String[] specific,
            CompletableFuture<List<Object>> result, int attempts) {
        call(script, specific).whenComplete((answer, failure) -> {
            if (failure == null) {
                reachable();
                RuntimeException error = error(answer.values());
                if (error != null) {
                    result.completeExceptionally(error);
                } else {
                    result.complete(answer.values());
                }
                return;
            }
            RuntimeException error = link.translate(failure, what);
            if (error instanceof RedisUnavailableException && wanted.getAsBoolean() && System.nanoTime() - until < 0
) {
                unreachable();
                long backoff = Math.min(500, 25L << Math.min(attempts, 5));
                link.later(() -> attempt(script, what, until, wanted, specific, result, attempts + 1),
                        () -> result.completeExceptionally(error), backoff);
            } else {
                result.completeExceptionally(error);
            }
        });
    }

    /** The typed error a script reported in its reply, or null. */
    private RuntimeException error(List<Object> reply) {
        Object status = reply.isEmpty() ? null : reply.get(0);
        if ("ERR_TYPE".equals(status)) {
            return new ForeignStateException((String) reply.get(1), "semaphore '" + name + "': key '" + reply.get(1)
                    + "' holds a " + reply.get(2) + " that this library did not write; nothing was changed");
        }
        if ("ERR_MAX".equals(status)) {
            return new MaxPermitsMismatchException(name, ((Long) reply.get(1)).intValue(), maxPermits);
        }
        if ("ERR_WEIGHT".equals(status)) {
            return new IllegalArgumentException("permits must not exceed maxPermits " + reply.get(1));
        }
        return null;
    }

    private void reachable() {
        unreachableSince = 0;
    }

    private void unreachable() {
        if (unreachableSince == 0) {
            unreachableSince = System.nanoTime() | 1; // never 0, which means "reachable"
        }
    }

    private static String newId() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        return HexFormat.of().toHexDigits(random.nextLong()) + HexFormat.of().toHexDigits(random.nextLong());
    }

    @Override
    public String toString() {
        long held = entries.values().stream().filter(e -> e instanceof Lease).mapToInt(Entry::weight).sum();
        long waiting = entries.values().stream().filter(e -> e instanceof Request).count();
        return "RedisSemaphore[name=" + name + ", maxPermits=" + maxPermits + ", heldHere=" + held + ", waitingHere="
                + waiting + ", epoch=" + epoch + "]";
    }
}
