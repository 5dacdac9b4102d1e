package dev.signalbox.internal.queue;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.ref.Reference;

import dev.signalbox.Permit;

/** A {@link Permit} on a {@link PermitQueue}: the first {@code close()} gives its permits back. */
public final class QueuePermit implements Permit {

    private static final VarHandle RELEASED;

    static {
        try {
            RELEASED = MethodHandles.lookup().findVarHandle(QueuePermit.class, "released", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final PermitQueue queue;
    private final int permits;
    /** The recorder's state for this handle (holder, leak tracking), or null when not observed. */
    private final Object recorded;
    private volatile boolean released;

    QueuePermit(PermitQueue queue, int permits, Object origin) {
        this.queue = queue;
        this.permits = permits;
        Recorder r = queue.recorder();
        this.recorded = r == null ? null : r.opened(this, origin);
    }

    @Override
    public int permits() {
        return permits;
    }

    @Override
    public boolean isReleased() {
        return released;
    }

    @Override
    public void close() {
        try {
            if (RELEASED.compareAndSet(this, false, true)) {
                try {
                    queue.give(permits);
                } catch (RuntimeException e) {
                    // Refused (a bounded semaphore over-released by raw release calls): change nothing.
                    released = false;
                    throw e;
                }
                if (recorded != null) {
                    queue.recorder().closed(this, recorded);
                }
            }
        } finally {
            // A leak detector watches this handle become unreachable; it must not see that happen
            // while close() still runs, or it would report a leak and give the permits back twice.
            Reference.reachabilityFence(this);
        }
    }

    @Override
    public String toString() {
        return "Permit[permits=" + permits + (released ? ", released]" : "]");
    }
}
