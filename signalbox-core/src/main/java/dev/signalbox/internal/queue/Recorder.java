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

    /**
     * Whether handles need {@link #opened}/{@link #closed} at all (holders, leaks, hold times);
     * when not, handles are made without a field for the recorder's state. Must not change.
     */
    boolean tracksHandles();

    /**
     * A request for a handle is about to queue: its handle may be made later on another thread
     * (the one that releases), so this captures what the handle should remember of the caller.
     *
     * @return what to pass to {@link #opened}, or null to let {@code opened} look at the current thread
     */
    Object requestOrigin();

    /**
     * A handle is being made for permits just granted (called from its constructor; only
     * {@link QueuePermit#permits()} may be read).
     *
     * @param origin what {@link #requestOrigin()} returned, or null when the caller's thread makes it
     * @return the state to hand back to {@link #closed}; must not reference {@code permit}, so that
     *     an unclosed handle can be found unreachable; null when nothing is kept
     */
    Object opened(QueuePermit permit, Object origin);

    /** A handle gave its permits back; {@code state} is what {@link #opened} returned for it. */
    void closed(QueuePermit permit, Object state);
}
