package dev.signalbox;

/**
 * A handle on permits held from a semaphore; closing it gives them back.
 *
 * {@snippet class=dev.signalbox.snippets.CoreSnippets region=permit :
 * try (Permit permit = semaphore.acquirePermit()) {
 *     callTheBackend();
 * }
 * }
 *
 * <p>{@link #close()} releases the permits exactly once: a second close, from any thread, does
 * nothing. Code that holds its permits through handles therefore cannot over-release.
 *
 * <p>Implementations are thread-safe.
 */
public interface Permit extends AutoCloseable {

    /** {@return the number of permits this handle holds (until it is closed)} */
    int permits();

    /** {@return whether {@link #close()} has been called} */
    boolean isReleased();

    /**
     * Gives the permits back to the semaphore they came from, waking waiters in order. Only the
     * first call releases; later calls return at once.
     */
    @Override
    void close();
}
