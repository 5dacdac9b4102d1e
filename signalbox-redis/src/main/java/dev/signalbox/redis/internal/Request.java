package dev.signalbox.redis.internal;

import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;

import dev.signalbox.redis.MaxPermitsLoweredException;
import dev.signalbox.redis.RedisSemaphoreException;

/**
 * One acquire call and its server-side queue entry (one entry per call, so FIFO holds across
 * threads and processes alike).
 *
 * <pre>
 *  SUBMITTING --ACQUIRE says HELD-----------------------> GRANTED (future completes with a Lease)
 *  SUBMITTING --ACQUIRE says QUEUED---------------------> QUEUED  (listen, touch every recheck)
 *  SUBMITTING --ACQUIRE says BUSY (try only)------------> DONE    (future completes empty)
 *  QUEUED     --TOUCH says HELD-------------------------> GRANTED
 *  QUEUED     --TOUCH says ENDED (e.g. resized below it)-> future fails (typed, see ended())
 *  SUBMITTING|QUEUED --future cancelled/failed/timeout--> ABANDONED (CANCEL sent, retried; it also
 *                                                          returns a grant that raced the cancel)
 * </pre>
 */
final class Request implements Entry {

    enum State { SUBMITTING, QUEUED, GRANTED, DONE, ABANDONED }

    /** How the server records a request that a resize made too large (resize.lua), then the new max. */
    private static final String ABOVE_MAX = "ABOVE_MAX:";

    final String id;
    final int weight;
    final boolean canWait;
    final RequestFuture future = new RequestFuture();
    final AtomicReference<State> state = new AtomicReference<>(State.SUBMITTING);
    private final SemaphoreEngine engine;
    /** The scheduled timeout, if any; written once before the request is submitted. */
    volatile Future<?> timeout;
    /** When submitting started to fail (0: it has not); touched only by the submit chain. */
    long failingSince;
    int attempts;

    Request(SemaphoreEngine engine, String id, int weight, boolean canWait) {
        this.engine = engine;
        this.id = id;
        this.weight = weight;
        this.canWait = canWait;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public char kind() {
        return 'w';
    }

    @Override
    public int weight() {
        return weight;
    }

    @Override
    public void touched(String status, Object value, long sentNanos) {
        switch (status) {
            case "HELD" -> engine.granted(this, (Long) value, sentNanos);
            case "QUEUED" -> { } // still waiting; its heartbeat was renewed
            case "ENDED" -> engine.failRequest(this, ended((String) value));
            default -> engine.failRequest(this, new RedisSemaphoreException(
                    "request " + id + " on semaphore '" + engine.name() + "' ended on the server: " + value));
        }
    }

    private RuntimeException ended(String outcome) {
        if (outcome.startsWith(ABOVE_MAX)) {
            return new MaxPermitsLoweredException(engine.name(), weight,
                    Integer.parseInt(outcome.substring(ABOVE_MAX.length())));
        }
        return new RedisSemaphoreException(
                "request " + id + " on semaphore '" + engine.name() + "' ended on the server: " + outcome);
    }
}
