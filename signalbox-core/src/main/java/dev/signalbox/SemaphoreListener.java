package dev.signalbox;

import java.time.Duration;

/**
 * Told what happens on a semaphore, for metrics and logs: how each acquire ended and how long it
 * waited, how long each {@link Permit} handle was held, and handles that leaked. Given to
 * {@link Semaphore.Builder#listener(SemaphoreListener)}; every method does nothing by default.
 *
 * {@snippet class=dev.signalbox.snippets.CoreSnippets region=listener :
 * LongAdder rejected = new LongAdder();
 * Semaphore semaphore = Semaphore.builder(10)
 *         .maxWaiters(100)
 *         .listener(new SemaphoreListener() {
 *             @Override
 *             public void onAcquire(int permits, Outcome outcome, Duration waited) {
 *                 if (outcome == Outcome.REJECTED) {
 *                     rejected.increment();
 *                 }
 *             }
 *         })
 *         .build();
 * }
 *
 * <p><b>Threads.</b> Methods are called on the thread that caused the event, outside the
 * semaphore's internal lock: a grant after waiting on the thread that released, a cancellation on
 * the thread that cancelled, a leak on a cleaner thread. They must be thread-safe, quick, and must
 * not block. An exception a listener throws is logged and otherwise ignored: it never changes the
 * outcome of the acquire or release that triggered it.
 */
public interface SemaphoreListener {

    /** How an acquire ended. */
    enum Outcome {
        /** The permits were granted, at once or after waiting. */
        GRANTED,
        /** The waiter's future was cancelled or completed exceptionally before the grant. */
        CANCELLED,
        /** The waiter's timeout elapsed before the grant. */
        TIMED_OUT,
        /** The waiting thread was interrupted before the grant. */
        INTERRUPTED,
        /** The acquire was refused at once because the wait queue was at its admission limit. */
        REJECTED
    }

    /**
     * Called once, when a semaphore built with this listener is built, before any other method.
     *
     * @param semaphore the semaphore this listener now observes
     */
    default void onAttach(Semaphore semaphore) {}

    /**
     * An acquire of {@code permits} ended.
     *
     * @param permits how many permits were asked for
     * @param outcome how it ended
     * @param waited  how long it waited in the queue, at millisecond resolution;
     *                {@link Duration#ZERO} when it did not queue (granted or rejected at once)
     */
    default void onAcquire(int permits, Outcome outcome, Duration waited) {}

    /**
     * A {@link Permit} handle was closed, giving its permits back. Permits released without a
     * handle ({@link Semaphore#release()}) have no holder, so they are not reported.
     *
     * @param permits how many permits it held
     * @param held    how long it was held, from the grant to the close
     */
    default void onPermitClosed(int permits, Duration held) {}

    /**
     * A {@link Permit} handle watched by leak detection became unreachable without being closed.
     * Reported once per handle.
     *
     * @param holder    who acquired it, when, and where (if acquisition sites are recorded)
     * @param reclaimed whether its permits were returned to the semaphore
     */
    default void onLeak(SemaphoreSnapshot.Holder holder, boolean reclaimed) {}
}
