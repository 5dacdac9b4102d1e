package dev.signalbox.internal.queue;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.ReentrantLock;

import dev.signalbox.Permit;

/**
 * The one fair waiting mechanism behind every in-process semaphore: a permit counter and a FIFO
 * queue of waiters. Every entry point (async, blocking, timed, try) goes through it; the blocking
 * ones park on the same queue nodes the async ones complete.
 *
 * <p>Arguments are validated by the public classes; this class assumes {@code 0 < n <= bound}.
 */
public final class PermitQueue {

    private static final long WAITERS = 1L;
    private static final int SHIFT = 1;

    /** Available permits ({@code state >>> SHIFT}) and whether the queue is non-empty ({@code WAITERS}). */
    private volatile long state;
    /** Release never raises the available count above this; {@code Integer.MAX_VALUE} when unbounded. */
    private final int bound;
    /** Guards the queue, every waiter's status, and every write of {@code state} while WAITERS is set. */
    private final ReentrantLock lock = new ReentrantLock();
    private Waiter<?> head; // guarded by lock
    private Waiter<?> tail; // guarded by lock
    /** Queued waiters; guarded by lock (read under it too, see {@link #queued()}). */
    private int queued;

    /*
     * Implementation notes.
     *
     * State. One long holds the available permits (bits 1..32) and a WAITERS bit. While WAITERS is
     * clear, the fast paths take and return permits with a single CAS and never touch the lock.
     * WAITERS is set and cleared only under the lock, and while it is set every operation that
     * changes permits goes through the lock, so a fast path never overtakes a queued waiter.
     *
     * Invariant, true whenever the lock is free:
     *     WAITERS is set  <=>  the queue is non-empty  ==>  available < head.permits
     * i.e. nobody waits while they could be served; the head waiter blocks smaller requests behind
     * it (strict FIFO, so large requests never starve).
     *
     * A waiter's life, every edge taken under the lock:
     *
     *     WAITING --release/abandon of the head makes it fit--> GRANTED --deliver--> future completed
     *        |
     *        +--cancel / completeExceptionally / timeout / interrupt--> ABANDONED (unlinked at once)
     *
     * GRANTED is the linearization point of a grant: from then on the waiter owns its permits and
     * every attempt to cancel it fails (cancel returns false), exactly as if its future had already
     * completed. ABANDONED is the linearization point of giving up: the waiter is unlinked in O(1)
     * and, if it was the head, the waiters behind it are served from the permits it left.
     *
     * Delivery. Futures are completed (and parked threads unparked) after the lock is released, so a
     * callback may acquire or release again without deadlock. A callback that releases while a
     * delivery runs on the same thread hands its grants to that outer delivery (a trampoline), so a
     * chain of a million waiters completes in constant stack depth.
     */

    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(PermitQueue.class, "state", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    public PermitQueue(int initialPermits, int bound) {
        assert 0 <= initialPermits && initialPermits <= bound;
        this.state = (long) initialPermits << SHIFT;
        this.bound = bound;
    }

    // ---------------------------------------------------------------- observation

    public int available() {
        return (int) (state >>> SHIFT);
    }

    public int queued() {
        if ((state & WAITERS) == 0) {
            return 0; // WAITERS is cleared only in the same write that publishes an empty queue
        }
        // A grant publishes the count and the permits in two writes under the lock: read the
        // count there too, or a reader could see the waiter gone but its permits still free.
        lock.lock();
        try {
            return queued;
        } finally {
            lock.unlock();
        }
    }

    public int bound() {
        return bound;
    }

    /** Whether an acquire of {@code n} permits would wait now. */
    public boolean wouldWait(int n) {
        long s = state;
        return (s & WAITERS) != 0 || (s >>> SHIFT) < n;
    }

    // ---------------------------------------------------------------- acquiring

    /** Takes {@code n} permits if no one waits and they are available; never waits. */
    public boolean tryTake(int n) {
        // No barging: while anyone waits, WAITERS is set and this fails.
        for (long s = state; (s & WAITERS) == 0 && (s >>> SHIFT) >= n; s = state) {
            if (STATE.compareAndSet(this, s, s - ((long) n << SHIFT))) {
                return true;
            }
        }
        return false;
    }

    /** A future of the grant of {@code n} permits; {@code granted} when they are taken at once. */
    public CompletableFuture<Void> takeAsync(int n, CompletableFuture<Void> granted) {
        if (tryTake(n)) {
            return granted;
        }
        Waiter<Void> waiter = new Waiter<>(this, n);
        return enqueue(waiter) ? waiter : granted;
    }

    /** A future of a {@link Permit} handle on {@code n} permits. */
    public CompletableFuture<Permit> takePermitAsync(int n) {
        Waiter.ForPermit waiter = new Waiter.ForPermit(this, n);
        if (tryTake(n) || !enqueue(waiter)) {
            // Granted at once, but still a Waiter: a plain completed future would let the caller
            // obtrude another value over the only handle on these permits. Never queued, so no lock.
            waiter.status = Waiter.GRANTED;
            waiter.deliver();
        }
        return waiter;
    }

    /**
     * Takes {@code n} permits, parking until they are granted or {@code nanos} elapse
     * ({@code Long.MAX_VALUE}: no limit).
     *
     * @return whether the permits were taken
     * @throws InterruptedException if interrupted before the grant; then nothing was taken
     */
    public boolean take(int n, long nanos) throws InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        if (tryTake(n)) {
            return true;
        }
        if (nanos <= 0) {
            return false;
        }
        Waiter.Parked waiter = new Waiter.Parked(this, n, Thread.currentThread());
        return !enqueue(waiter) || waiter.await(nanos);
    }

    /**
     * Queues {@code waiter}, or takes its permits at once if they became free meanwhile.
     *
     * @return true if queued, false if its permits were taken
     */
    private boolean enqueue(Waiter<?> waiter) {
        int n = waiter.permits;
        lock.lock();
        try {
            for (;;) {
                long s = state;
                if ((s & WAITERS) == 0) {
                    // Queue empty: fast paths race with us until WAITERS is set, hence the CAS.
                    if ((s >>> SHIFT) >= n) {
                        if (STATE.compareAndSet(this, s, s - ((long) n << SHIFT))) {
                            return false;
                        }
                        continue;
                    }
                    if (!STATE.compareAndSet(this, s, s | WAITERS)) {
                        continue;
                    }
                }
                // Maintain FIFO: queue behind everyone, even if enough permits are free for us.
                waiter.prev = tail;
                if (tail == null) {
                    head = waiter;
                } else {
                    tail.next = waiter;
                }
                tail = waiter;
                queued++;
                return true;
            }
        } finally {
            lock.unlock();
        }
    }

    // ---------------------------------------------------------------- releasing

    /**
     * Returns {@code n} permits, granting them to waiters in FIFO order.
     *
     * @throws IllegalStateException if that would raise the available count above the bound; then
     *     nothing changes
     */
    public void give(int n) {
        for (long s = state; (s & WAITERS) == 0; s = state) {
            checkBound(s >>> SHIFT, n);
            if (STATE.compareAndSet(this, s, s + ((long) n << SHIFT))) {
                return;
            }
        }
        giveContended(n);
    }

    private void giveContended(int n) {
        Waiter<?> granted;
        lock.lock();
        try {
            long s;
            // The queue may have emptied since we looked: then race with the fast paths again.
            while (((s = state) & WAITERS) == 0) {
                checkBound(s >>> SHIFT, n);
                if (STATE.compareAndSet(this, s, s + ((long) n << SHIFT))) {
                    return;
                }
            }
            checkBound(s >>> SHIFT, n);
            granted = grantFromHead((s >>> SHIFT) + n);
        } finally {
            lock.unlock();
        }
        Delivery.deliver(granted);
    }

    private void checkBound(long available, int n) {
        if (available + n > bound) {
            throw new IllegalStateException(bound == Integer.MAX_VALUE
                    ? "permit count would overflow: " + available + " available, releasing " + n
                    : "released too many times: releasing " + n + " with " + available
                            + " available would exceed the bound " + bound);
        }
    }

    /**
     * Grants waiters from the head while the next one fits in {@code available}, then publishes
     * the state. Call with WAITERS set and the lock held.
     *
     * @return the granted waiters, chained through {@code next}, for delivery after unlocking
     */
    private Waiter<?> grantFromHead(long available) {
        assert lock.isHeldByCurrentThread() && (state & WAITERS) != 0;
        Waiter<?> first = null;
        Waiter<?> last = null;
        Waiter<?> h = head;
        int served = 0;
        while (h != null && h.permits <= available) {
            available -= h.permits;
            Waiter<?> next = h.next;
            h.status = Waiter.GRANTED;
            h.prev = null;
            h.next = null;
            if (last == null) {
                first = h;
            } else {
                last.next = h;
            }
            last = h;
            served++;
            h = next;
        }
        head = h;
        if (h == null) {
            tail = null;
        } else {
            h.prev = null;
        }
        queued -= served;
        assert h == null || available < h.permits;
        state = (available << SHIFT) | (h == null ? 0 : WAITERS);
        return first;
    }

    /**
     * Withdraws a waiter that gives up. If it was the head, the waiters behind it are served from
     * what is available.
     *
     * @return false if the waiter was granted first (it then owns its permits)
     */
    boolean abandon(Waiter<?> waiter) {
        Waiter<?> granted = null;
        lock.lock();
        try {
            if (waiter.status != Waiter.WAITING) {
                return false;
            }
            waiter.status = Waiter.ABANDONED;
            Waiter<?> prev = waiter.prev;
            Waiter<?> next = waiter.next;
            if (prev == null) {
                head = next;
            } else {
                prev.next = next;
            }
            if (next == null) {
                tail = prev;
            } else {
                next.prev = prev;
            }
            waiter.prev = null;
            waiter.next = null;
            queued--;
            if (prev == null) {
                // The head left: the next one may fit now (a large request no longer holds it back).
                granted = grantFromHead(state >>> SHIFT);
            }
        } finally {
            lock.unlock();
        }
        Delivery.deliver(granted);
        return true;
    }

    @Override
    public String toString() {
        return "permits=" + available() + ", waiters=" + queued();
    }
}
