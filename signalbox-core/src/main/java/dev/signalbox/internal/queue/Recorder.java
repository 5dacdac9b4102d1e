package dev.signalbox.internal.queue;

/**
 * Told what happens on a queue that is observed (statistics, holder tracking, leak detection,
 * events, metrics). A queue without one pays a null check on its fast paths and nothing else.
 * Called outside the queue's lock, on the thread that caused the event; must not block.
 */
public interface Recorder {

    /** How a waiter gave up. */
    enum GiveUp { CANCELLED, TIMED_OUT, INTERRUPTED }

    /** {@code permits} were granted after waiting {@code waitedNanos} (0 when taken at once). */
    void granted(int permits, long waitedNanos);

    /** A waiter for {@code permits} gave up after {@code waitedNanos}. */
    void gaveUp(int permits, GiveUp why, long waitedNanos);

    /** An acquire of {@code permits} was refused because the wait queue was full. */
    void rejected(int permits);

    /** A handle was made for permits just granted. */
    void opened(QueuePermit permit);

    /** A handle gave its permits back. */
    void closed(QueuePermit permit);
}
