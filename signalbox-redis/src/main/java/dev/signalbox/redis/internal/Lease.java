package dev.signalbox.redis.internal;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReference;

import dev.signalbox.redis.LeasedPermit;

/**
 * A granted permit and the client's view of its lease.
 *
 * <pre>
 *  HELD --TOUCH says HELD---------------------------> HELD (local expiry moves on)
 *  HELD --local expiry passes (no renewal in time)--> LOST (lost() completes; RELEASE sent)
 *  HELD --TOUCH says ENDED or LOST------------------> LOST (never silently re-acquired)
 *  HELD|LOST --close()/releaseAsync()---------------> RELEASED (RELEASE sent once)
 * </pre>
 *
 * A renewal that arrives after the lease went LOST is answered with a RELEASE: the client has
 * given the lease up already, so the server must not keep it.
 */
final class Lease implements LeasedPermit, Entry {

    enum State { HELD, LOST, RELEASED }

    private final SemaphoreEngine engine;
    private final String id;
    private final int weight;
    private final long token;
    private final AtomicReference<State> state = new AtomicReference<>(State.HELD);
    private final CompletableFuture<Void> lost = new CompletableFuture<>();
    private final CompletableFuture<Void> released = new CompletableFuture<>();
    /** System.nanoTime() before which the server surely still holds the lease; only grows. */
    private volatile long expiresAt;

    Lease(SemaphoreEngine engine, String id, int weight, long token, long expiresAt) {
        this.engine = engine;
        this.id = id;
        this.weight = weight;
        this.token = token;
        this.expiresAt = expiresAt;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public char kind() {
        return 'h';
    }

    @Override
    public int weight() {
        return weight;
    }

    @Override
    public int permits() {
        return weight;
    }

    @Override
    public long fencingToken() {
        return token;
    }

    @Override
    public boolean isReleased() {
        return state.get() == State.RELEASED;
    }

    @Override
    public boolean isValid() {
        return state.get() == State.HELD && System.nanoTime() - expiresAt < 0;
    }

    @Override
    public Duration remaining() {
        long left = expiresAt - System.nanoTime();
        return state.get() == State.HELD && left > 0 ? Duration.ofNanos(left) : Duration.ZERO;
    }

    @Override
    public CompletionStage<Void> lost() {
        return lost.minimalCompletionStage();
    }

    long expiresAt() {
        return expiresAt;
    }

    @Override
    public void touched(String status, Object value, long sentNanos) {
        if ("HELD".equals(status)) {
            if (state.get() == State.HELD) {
                long renewed = engine.localExpiry(sentNanos);
                if (renewed - expiresAt > 0) {
                    expiresAt = renewed;
                }
                // The renewal may have landed after the local expiry already fired elsewhere.
                if (state.get() != State.HELD) {
                    engine.releaseQuietly(id);
                }
            } else {
                engine.releaseQuietly(id);
            }
        } else {
            markLost();
        }
    }

    /** The lease can no longer be trusted: tell the holder, and give it up on the server. */
    void markLost() {
        if (state.compareAndSet(State.HELD, State.LOST)) {
            engine.forget(this);
            engine.releaseQuietly(id);
            engine.link().complete(() -> lost.complete(null));
        }
    }

    @Override
    public CompletableFuture<Void> releaseAsync() {
        State previous = state.getAndSet(State.RELEASED);
        if (previous != State.RELEASED) {
            engine.forget(this);
            engine.release(id).whenComplete((ignored, failure) -> {
                if (failure == null) {
                    released.complete(null);
                } else {
                    released.completeExceptionally(failure);
                }
            });
        }
        return released.copy();
    }

    @Override
    public void close() {
        releaseAsync();
    }

    @Override
    public String toString() {
        return "LeasedPermit[id=" + id + ", permits=" + weight + ", token=" + token + ", state=" + state.get()
                + ", remaining=" + remaining().toMillis() + "ms]";
    }
}
