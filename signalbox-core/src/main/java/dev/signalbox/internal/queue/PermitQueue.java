package dev.signalbox.internal.queue;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.ReentrantLock;

import dev.signalbox.Permit;
import dev.signalbox.SemaphoreClosedException;
import dev.signalbox.TooManyWaitersException;

/**
 * The one fair waiting mechanism behind every in-process semaphore: a permit counter and a FIFO
 * queue of waiters. Every entry point (async, blocking, timed, try) goes through it; the blocking
 * ones park on the same queue nodes the async ones complete.
 *
 * <p>Arguments are validated by the public classes; this class assumes {@code n > 0}.
 */
public final class PermitQueue {

    private static final long SLOW = 1L;
    private static final int SHIFT = 32;
    private static final long BOUND_BITS = 0xFFFF_FFFEL;

    /** Available permits (signed, {@code state >> SHIFT}), the bound (bits 1 to 31) and the SLOW bit. */
    private volatile long state;
    /**
     * Release never raises the available count above this; {@code Integer.MAX_VALUE} when unbounded.
     * Guarded by lock; the fast paths read the copy in {@code state}, which always matches the count.
     */
    private int bound;
    /** At most this many waiters queue; an acquire beyond it is rejected at once. */
    private final int maxQueued;
    /** Told about grants, give-ups and handles when the semaphore is observed; null otherwise. */
    private final Recorder recorder;
    /** Guards the queue, every waiter's status, {@code paused}, and every write of {@code state} while SLOW is set. */
    private final ReentrantLock lock = new ReentrantLock();
    private Waiter<?> head; // guarded by lock
    private Waiter<?> tail; // guarded by lock
    private boolean paused; // guarded by lock
    /**
     * Queued waiters; written under lock. Read without it only for a quick "someone waits": within
     * a locked change it only grows (an enqueue) or only shrinks, so any value read then is true of
     * the state just before or just after the change.
     */
    private volatile int queued;
    /** Why the queue was closed (a cause, or {@link #CLOSED_PLAINLY}); null while open. Written once, under lock. */
    private volatile Throwable closedBy;

    /*
     * Implementation notes.
     *
     * State. One long holds the available permits (signed: negative while a shrunk maximum is
     * being paid back), the bound, and a SLOW bit. The bound lives in the same word so that a
     * fast release checks it against the very count it changes: read separately, a resize and a
     * release between the read and the CAS (an ABA on the count) would let a release exceed the
     * new bound. While SLOW is clear, the fast paths take and return permits
     * with a single CAS and never touch the lock. SLOW is set whenever the fast paths must not run:
     * someone waits (no barging), the queue is paused, or it is closed. Every locked operation first
     * "seizes" the state (sets SLOW by CAS, so in-flight fast paths fail their CAS and come to the
     * lock), then changes it with plain writes, then publishes it with SLOW recomputed.
     *
     * Invariant, true whenever the lock is free:
     *     SLOW is clear      <=>  queue empty, not paused, not closed
     *     queue non-empty    ==>  paused, or available < head.permits
     * i.e. nobody waits while they could be served; the head waiter blocks smaller requests behind
     * it (strict FIFO, so large requests never starve).
     *
     * A waiter's life, every edge taken under the lock:
     *
     *     WAITING --release / resume / grow / abandon of the head makes it fit--> GRANTED --deliver--> completed
     *        |  \
     *        |   +--close / shrink below its request--> FAILED --deliver--> completed exceptionally
     *        |
     *        +--cancel / completeExceptionally / timeout / interrupt--> ABANDONED (unlinked at once)
     *
     * GRANTED is the linearization point of a grant: from then on the waiter owns its permits and
     * every attempt to cancel it fails (cancel returns false), exactly as if its future had already
     * completed. ABANDONED is the linearization point of giving up: the waiter is unlinked in O(1)
     * and, if it was the head, the waiters behind it are served from the permits it left.
     *
     * Delivery. Futures are completed (and parked threads unparked) after the lock is released, so a
     * callback may acquire or release again without deadlock. Parked threads are unparked at once,
     * and only if they announced they park (a hand-off caught while spinning costs no unpark). A
     * callback that releases while a delivery runs on the same thread hands its futures to that
     * outer delivery (a trampoline), so a chain of a million waiters completes in constant stack
     * depth.
     */

    private static final Throwable CLOSED_PLAINLY = new Throwable("closed", null, false, false) {};

    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(PermitQueue.class, "state", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** The outcome of trying to join the queue. */
    private enum Entry { QUEUED, TAKEN, CLOSED, REJECTED, TOO_LARGE }

    public PermitQueue(int initialPermits, int bound, int maxQueued, Recorder recorder) {
        assert 0 <= initialPermits && initialPermits <= bound && maxQueued >= 0;
        this.bound = bound;
        this.state = ((long) initialPermits << SHIFT) | ((long) bound << 1);
        this.maxQueued = maxQueued;
        this.recorder = recorder;
    }

    // ---------------------------------------------------------------- observation

    public int available() {
        return (int) (state >> SHIFT);
    }

    public int queued() {
        if ((state & SLOW) == 0) {
            return 0; // the fast state: nobody waits, and no locked change is under way
        }
        // Read under the lock: a change under way (a grant unlinking several waiters) passes through
        // counts that no caller could observe as a whole.
        lock.lock();
        try {
            return queued;
        } finally {
            lock.unlock();
        }
    }

    public int bound() {
        return boundOf(state);
    }

    public int maxQueued() {
        return maxQueued;
    }

    public Recorder recorder() {
        return recorder;
    }

    public boolean isClosed() {
        return closedBy != null;
    }

    /** Whether an acquire of {@code n} permits would wait now. */
    public boolean wouldWait(int n) {
        long s = state;
        if ((s >> SHIFT) < n || queued > 0) {
            return true;
        }
        if ((s & SLOW) == 0) {
            return false;
        }
        // SLOW without waiters: paused or closed, or only a locked operation passing by.
        lock.lock();
        try {
            return head != null || paused || closedBy != null || (state >> SHIFT) < n;
        } finally {
            lock.unlock();
        }
    }

    /** A consistent picture of the queue, taken under the lock. */
    public View view() {
        lock.lock();
        try {
            return new View((int) (state >> SHIFT), bound, queued, paused, closedBy != null,
                    head == null ? 0L : Ticks.elapsedNanos(head.enqueuedAt));
        } finally {
            lock.unlock();
        }
    }

    /** What {@link #view()} returns. */
    public record View(int available, int bound, int queued, boolean paused, boolean closed, long oldestWaitNanos) {}

    // ---------------------------------------------------------------- acquiring

    /**
     * Takes {@code n} permits if nobody waits, the queue runs, and they are available; never waits.
     *
     * @throws SemaphoreClosedException if the queue is closed
     */
    public boolean tryTake(int n) {
        if (fastTake(n)) {
            return true;
        }
        if (closedBy != null) {
            throw closedException();
        }
        // SLOW is also set for a moment by every locked operation (a resize, a pause, an enqueue that
        // took its permits at once). Failing then would be a spurious "busy": answer under the lock
        // unless the published state already says no (someone waits, or too few are available).
        if (queued > 0 || available() < n) {
            return false;
        }
        boolean taken;
        lock.lock();
        try {
            long available = seize() >> SHIFT;
            if (closedBy != null || n > bound) {
                publish(available);
                throw closedBy != null ? closedException() : tooLarge(n, bound);
            }
            taken = head == null && !paused && available >= n;
            publish(taken ? available - n : available);
        } finally {
            lock.unlock();
        }
        Recorder r = recorder;
        if (taken && r != null) {
            r.granted(n, 0L);
        }
        return taken;
    }

    private boolean fastTake(int n) {
        // No barging: while anyone waits (or the queue is paused or closed), SLOW is set and this fails.
        for (long s = state; (s & SLOW) == 0 && (s >> SHIFT) >= n; s = state) {
            if (STATE.compareAndSet(this, s, s - ((long) n << SHIFT))) {
                Recorder r = recorder;
                if (r != null) {
                    r.granted(n, 0L);
                }
                return true;
            }
        }
        return false;
    }

    /** A future of the grant of {@code n} permits; {@code granted} when they are taken at once. */
    public CompletableFuture<Void> takeAsync(int n, CompletableFuture<Void> granted) {
        if (fastTake(n)) {
            return granted;
        }
        Waiter<Void> waiter = new Waiter<>(this, n);
        return switch (enqueue(waiter)) {
            case QUEUED -> waiter;
            case TAKEN -> granted;
            case CLOSED -> CompletableFuture.failedFuture(closedException());
            case REJECTED -> CompletableFuture.failedFuture(rejectedException());
            case TOO_LARGE -> throw tooLarge(n, bound());
        };
    }

    /** A future of a {@link Permit} handle on {@code n} permits. */
    public CompletableFuture<Permit> takePermitAsync(int n) {
        Recorder r = recorder;
        Waiter.ForPermit waiter = new Waiter.ForPermit(this, n, r == null ? null : r.requestOrigin());
        return switch (fastTake(n) ? Entry.TAKEN : enqueue(waiter)) {
            case QUEUED -> waiter;
            // Granted at once, but still a Waiter: a plain completed future would let the caller
            // obtrude another value over the only handle on these permits. Never queued, so no lock.
            case TAKEN -> waiter.grantAtOnce();
            case CLOSED -> CompletableFuture.failedFuture(closedException());
            case REJECTED -> CompletableFuture.failedFuture(rejectedException());
            case TOO_LARGE -> throw tooLarge(n, bound());
        };
    }

    /**
     * Takes {@code n} permits, parking until they are granted or {@code nanos} elapse
     * ({@code Long.MAX_VALUE}: no limit).
     *
     * @return whether the permits were taken
     * @throws InterruptedException if interrupted before the grant; then nothing was taken
     * @throws SemaphoreClosedException if the queue is or gets closed before the grant
     * @throws TooManyWaitersException if the wait queue is full
     */
    public boolean take(int n, long nanos) throws InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        if (fastTake(n)) {
            return true;
        }
        if (nanos <= 0) {
            return tryTake(n);
        }
        Waiter.Parked waiter = new Waiter.Parked(this, n);
        return switch (enqueue(waiter)) {
            case QUEUED -> waiter.await(nanos);
            case TAKEN -> true;
            case CLOSED -> throw closedException();
            case REJECTED -> throw rejectedException();
            case TOO_LARGE -> throw tooLarge(n, bound());
        };
    }

    /** Makes the handle for {@code n} permits just taken by the calling thread. */
    public QueuePermit newPermit(int n) {
        return QueuePermit.of(this, n, null);
    }

    private Entry enqueue(Waiter<?> waiter) {
        int n = waiter.permits;
        Entry entry;
        lock.lock();
        try {
            long available = seize() >> SHIFT;
            if (closedBy != null) {
                entry = Entry.CLOSED;
            } else if (n > bound) {
                // The caller checked n against the bound, but a shrink got in between.
                entry = Entry.TOO_LARGE;
            } else if (head == null && !paused && available >= n) {
                available -= n; // freed meanwhile, and nobody is ahead of us
                entry = Entry.TAKEN;
            } else if (queued >= maxQueued) {
                entry = Entry.REJECTED;
            } else {
                // Maintain FIFO: queue behind everyone, even if enough permits are free for us.
                waiter.enqueuedAt = Ticks.now();
                waiter.prev = tail;
                if (tail == null) {
                    head = waiter;
                } else {
                    tail.next = waiter;
                }
                tail = waiter;
                queued++;
                entry = Entry.QUEUED;
            }
            publish(available);
        } finally {
            lock.unlock();
        }
        Recorder r = recorder;
        if (r != null) {
            if (entry == Entry.TAKEN) {
                r.granted(n, 0L);
            } else if (entry == Entry.REJECTED) {
                r.rejected(n);
            }
        }
        return entry;
    }

    // ---------------------------------------------------------------- releasing

    /**
     * Returns {@code n} permits, granting them to waiters in FIFO order.
     *
     * @throws IllegalStateException if that would raise the available count above the bound; then
     *     nothing changes
     */
    public void give(int n) {
        for (long s = state; (s & SLOW) == 0; s = state) {
            checkBound(s >> SHIFT, n, boundOf(s));
            if (STATE.compareAndSet(this, s, s + ((long) n << SHIFT))) {
                return;
            }
        }
        Waiter<?> delivery;
        lock.lock();
        try {
            long available = seize() >> SHIFT;
            try {
                checkBound(available, n, bound);
            } catch (IllegalStateException refused) {
                publish(available);
                throw refused;
            }
            delivery = grantFromHead(available + n);
        } finally {
            lock.unlock();
        }
        Delivery.deliver(delivery);
    }

    private static void checkBound(long available, int n, int max) {
        if (available + n > max) {
            throw new IllegalStateException(max == Integer.MAX_VALUE
                    ? "permit count would overflow: " + available + " available, releasing " + n
                    : "released too many times: releasing " + n + " with " + available
                            + " available would exceed the bound " + max);
        }
    }

    // ---------------------------------------------------------------- operating

    /**
     * Changes the bound to {@code max}: the available count moves by the same amount (going
     * negative if more are held than the new bound; holders pay it back as they release).
     * Waiters that want more than {@code max} fail; growing serves waiters in order. Never waits.
     */
    public void resize(int max) {
        Waiter<?> delivery;
        lock.lock();
        try {
            long available = seize() >> SHIFT;
            available += (long) max - bound;
            bound = max;
            Waiter<?> failed = null;
            for (Waiter<?> w = head; w != null; ) {
                Waiter<?> next = w.next;
                if (w.permits > max) {
                    unlink(w);
                    w.status = Waiter.FAILED;
                    w.next = failed;
                    failed = w;
                }
                w = next;
            }
            delivery = Delivery.concat(failed, grantFromHead(available));
        } finally {
            lock.unlock();
        }
        Delivery.deliver(delivery);
    }

    /** Stops or restarts granting; while paused, acquirers queue and {@code tryTake} fails. */
    public void setPaused(boolean pause) {
        Waiter<?> delivery;
        lock.lock();
        try {
            long available = seize() >> SHIFT;
            paused = pause;
            delivery = grantFromHead(available);
        } finally {
            lock.unlock();
        }
        Delivery.deliver(delivery);
    }

    /**
     * Fails every waiter and every later acquire with {@link SemaphoreClosedException} (caused by
     * {@code cause}, if not null); releases still count.
     *
     * @return false if already closed (nothing changes then)
     */
    public boolean close(Throwable cause) {
        Waiter<?> failed = null;
        boolean closedNow;
        lock.lock();
        try {
            long available = seize() >> SHIFT;
            closedNow = closedBy == null;
            if (closedNow) {
                closedBy = cause == null ? CLOSED_PLAINLY : cause;
                for (Waiter<?> w = head; w != null; ) {
                    Waiter<?> next = w.next;
                    w.status = Waiter.FAILED;
                    w.prev = null;
                    w.next = failed;
                    failed = w;
                    w = next;
                }
                head = null;
                tail = null;
                queued = 0;
            }
            publish(available);
        } finally {
            lock.unlock();
        }
        Delivery.deliver(failed);
        return closedNow;
    }

    // ---------------------------------------------------------------- under the lock

    private static int boundOf(long s) {
        return (int) ((s & BOUND_BITS) >>> 1);
    }

    /** Sets SLOW so that the fast paths stand still, and returns the state. Call with the lock held. */
    private long seize() {
        for (;;) {
            long s = state;
            if ((s & SLOW) != 0 || STATE.compareAndSet(this, s, s | SLOW)) {
                return s | SLOW;
            }
        }
    }

    /** Publishes {@code available}, with SLOW set iff the fast paths must still not run. */
    private void publish(long available) {
        assert lock.isHeldByCurrentThread() && (state & SLOW) != 0;
        assert head == null || paused || available < head.permits : "a waiter could be served";
        state = (available << SHIFT) | ((long) bound << 1) | (head != null || paused || closedBy != null ? SLOW : 0);
    }

    /**
     * Grants waiters from the head while the next one fits in {@code available} (unless paused),
     * then publishes the state. Call after {@link #seize()}.
     *
     * @return the granted waiters, chained through {@code next}, for delivery after unlocking
     */
    private Waiter<?> grantFromHead(long available) {
        Waiter<?> first = null;
        Waiter<?> last = null;
        while (!paused && head != null && head.permits <= available) {
            Waiter<?> w = head;
            available -= w.permits;
            unlink(w);
            w.status = Waiter.GRANTED;
            if (last == null) {
                first = w;
            } else {
                last.next = w;
            }
            last = w;
        }
        publish(available);
        return first;
    }

    private void unlink(Waiter<?> w) {
        Waiter<?> prev = w.prev;
        Waiter<?> next = w.next;
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
        w.prev = null;
        w.next = null;
        queued--;
    }

    /**
     * Withdraws a waiter that gives up. If it was the head, the waiters behind it are served from
     * what is available.
     *
     * @return false if the waiter was granted or failed first (it then keeps that outcome)
     */
    boolean abandon(Waiter<?> waiter, Recorder.GiveUp why) {
        Waiter<?> delivery;
        lock.lock();
        try {
            if (waiter.status != Waiter.WAITING) {
                return false;
            }
            long available = seize() >> SHIFT;
            waiter.status = Waiter.ABANDONED;
            // The head leaving may let the next one through (a large request no longer holds it back).
            unlink(waiter);
            delivery = grantFromHead(available);
        } finally {
            lock.unlock();
        }
        Recorder r = recorder;
        if (r != null) {
            r.gaveUp(waiter.permits, why, Ticks.elapsedNanos(waiter.enqueuedAt));
        }
        Delivery.deliver(delivery);
        return true;
    }

    // ---------------------------------------------------------------- failures

    RuntimeException failureOf(Waiter<?> waiter) {
        return closedBy != null
                ? closedException()
                : new IllegalStateException("a request for " + waiter.permits
                        + " permits can no longer be granted: the maximum was lowered below it");
    }

    private SemaphoreClosedException closedException() {
        Throwable cause = closedBy;
        return new SemaphoreClosedException(cause == CLOSED_PLAINLY ? null : cause);
    }

    /** The failure of a request for more permits than {@code bound}: it could never be granted. */
    public static IllegalArgumentException tooLarge(int permits, int bound) {
        return new IllegalArgumentException("permits must not exceed the bound " + bound
                + " of this semaphore (the request could never be granted), got " + permits);
    }

    private TooManyWaitersException rejectedException() {
        return new TooManyWaitersException(maxQueued);
    }

    @Override
    public String toString() {
        int max = bound();
        return "permits=" + available() + (max == Integer.MAX_VALUE ? "" : ", maxPermits=" + max)
                + ", waiters=" + queued();
    }
}
