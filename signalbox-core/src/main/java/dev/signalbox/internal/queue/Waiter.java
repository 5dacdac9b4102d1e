package dev.signalbox.internal.queue;

import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;

import dev.signalbox.Permit;
import dev.signalbox.internal.future.WithdrawableFuture;

/**
 * A queued request for permits, and the future its caller waits on: one object per waiter, so a
 * pending async acquire costs this node and nothing else.
 *
 * <p>Only the queue completes it normally; giving up on it withdraws the request unless the grant
 * came first (see {@link WithdrawableFuture}).
 */
class Waiter<T> extends WithdrawableFuture<T> {

    static final int WAITING = 0;
    static final int GRANTED = 1;
    static final int ABANDONED = 2;
    static final int FAILED = 3;

    final PermitQueue queue;
    final int permits;
    /** Queue links, guarded by the queue's lock; after the grant, {@code next} chains a delivery. */
    Waiter<?> prev;
    Waiter<?> next;
    /** WAITING, GRANTED, ABANDONED or FAILED; written only under the queue's lock. */
    volatile int status;
    /** When it joined the queue, in {@link Ticks}; set under the queue's lock. */
    int enqueuedAt;

    Waiter(PermitQueue queue, int permits) {
        this.queue = queue;
        this.permits = permits;
    }

    /** Tells the caller of a granted or failed waiter; runs after the queue's lock is released. */
    final void deliver() {
        if (status == FAILED) {
            fail(queue.failureOf(this));
            return;
        }
        Recorder r = queue.recorder();
        if (r != null) {
            r.granted(permits, Ticks.elapsedNanos(enqueuedAt));
        }
        grant();
    }

    /** Completes the caller's future with its permits. */
    void grant() {
        completeWith(null);
    }

    /** Completes the caller's future with the failure that ended its wait. */
    void fail(RuntimeException failure) {
        boolean completed = completeFailed(failure);
        assert completed : "a failed waiter's future was completed by someone else";
    }

    final void completeWith(T value) {
        boolean completed = completeGranted(value);
        assert completed : "a granted waiter's future was completed by someone else";
    }

    @Override
    protected boolean withdraw(Throwable reason) {
        Recorder.GiveUp why = reason instanceof TimeoutException ? Recorder.GiveUp.TIMED_OUT : Recorder.GiveUp.CANCELLED;
        return queue.abandon(this, why);
    }

    /** A waiter whose future completes with a {@link Permit} handle. */
    static final class ForPermit extends Waiter<Permit> {

        /** What the recorder keeps of the requesting caller (the grant runs on another thread); usually null. */
        private final Object origin;

        ForPermit(PermitQueue queue, int permits, Object origin) {
            super(queue, permits);
            this.origin = origin;
        }

        @Override
        void grant() {
            completeWith(QueuePermit.of(queue, permits, origin));
        }

        /** Completes a waiter whose permits were taken before it was ever queued. */
        ForPermit grantAtOnce() {
            status = GRANTED;
            grant();
            return this;
        }
    }

    /** A thread blocked in {@code acquire}: parks on the node instead of waiting on the future. */
    static final class Parked extends Waiter<Void> {

        /** Spins before parking on a multi-core machine: a hand-off often arrives within them. */
        private static final int SPINS = Runtime.getRuntime().availableProcessors() > 1 ? 1 << 8 : 0;

        /**
         * The waiting thread, published just before it first parks; null while it spins. A grant
         * unparks only a thread that may be parked (Dekker-style: the waiter writes this, then
         * re-reads {@code status}; the granter writes {@code status}, then reads this), so a
         * hand-off caught while spinning costs no unpark.
         */
        private volatile Thread parking;

        Parked(PermitQueue queue, int permits) {
            super(queue, permits);
        }

        @Override
        void grant() {
            wake();
        }

        @Override
        void fail(RuntimeException failure) {
            wake(); // it reads the failure itself
        }

        private void wake() {
            Thread thread = parking;
            if (thread != null) {
                LockSupport.unpark(thread);
            }
        }

        /**
         * Waits for the grant, at most {@code nanos} unless that is {@code Long.MAX_VALUE}.
         *
         * @return true if granted, false if the time ran out first (the request is withdrawn)
         * @throws InterruptedException if interrupted first (the request is withdrawn)
         * @throws RuntimeException why the wait failed, if the queue failed it (closed, or resized below it)
         */
        boolean await(long nanos) throws InterruptedException {
            boolean timed = nanos != Long.MAX_VALUE;
            long deadline = timed ? System.nanoTime() + nanos : 0L;
            Thread self = Thread.currentThread();
            // A virtual thread parks cheaply and must not burn its carrier: no spinning.
            int spins = self.isVirtual() ? 0 : SPINS;
            while (status == WAITING) {
                if (spins > 0) {
                    spins--;
                    Thread.onSpinWait();
                } else if (parking == null) {
                    parking = self; // then look at status once more before parking
                } else if (Thread.interrupted()) {
                    if (queue.abandon(this, Recorder.GiveUp.INTERRUPTED)) {
                        throw new InterruptedException();
                    }
                    // The grant (or a failure) won the race: keep that outcome and the interrupt.
                    self.interrupt();
                    break;
                } else if (!timed) {
                    LockSupport.park(this);
                } else {
                    long remaining = deadline - System.nanoTime();
                    if (remaining <= 0) {
                        if (queue.abandon(this, Recorder.GiveUp.TIMED_OUT)) {
                            return false;
                        }
                        break; // the grant (or a failure) won the race
                    }
                    LockSupport.parkNanos(this, remaining);
                }
            }
            if (status == FAILED) {
                throw queue.failureOf(this);
            }
            return true;
        }
    }
}
