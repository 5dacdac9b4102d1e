package dev.signalbox.internal.queue;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.ref.Reference;

import dev.signalbox.Permit;

/**
 * A {@link Permit} on a {@link PermitQueue}: the first {@code close()} gives its permits back.
 * A queue whose recorder tracks handles makes {@link Observed} handles instead, so that other
 * handles carry no field for the recorder (24 bytes, not 32).
 */
public sealed class QueuePermit implements Permit permits QueuePermit.Observed {

    private static final VarHandle RELEASED;

    static {
        try {
            RELEASED = MethodHandles.lookup().findVarHandle(QueuePermit.class, "released", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final PermitQueue queue;
    private final int permits;
    private volatile boolean released;

    private QueuePermit(PermitQueue queue, int permits) {
        this.queue = queue;
        this.permits = permits;
    }

    /**
     * The handle for {@code permits} just granted on {@code queue}.
     *
     * @param origin what the recorder captured when the request queued, or null (see {@link Recorder#requestOrigin()})
     */
    static QueuePermit of(PermitQueue queue, int permits, Object origin) {
        Recorder r = queue.recorder();
        return r == null || !r.tracksHandles() ? new QueuePermit(queue, permits) : new Observed(queue, permits, r, origin);
    }

    @Override
    public final int permits() {
        return permits;
    }

    @Override
    public final boolean isReleased() {
        return released;
    }

    @Override
    public final void close() {
        try {
            if (RELEASED.compareAndSet(this, false, true)) {
                try {
                    queue.give(permits);
                } catch (RuntimeException e) {
                    // Refused (a bounded semaphore over-released by raw release calls): change nothing.
                    released = false;
                    throw e;
                }
                closed();
            }
        } finally {
            // A leak detector watches this handle become unreachable; it must not see that happen
            // while close() still runs, or it would report a leak and give the permits back twice.
            Reference.reachabilityFence(this);
        }
    }

    /** Called once, after the permits were given back. */
    void closed() {}

    @Override
    public final String toString() {
        return "Permit[permits=" + permits + (released ? ", released]" : "]");
    }

    /** A handle on an observed queue: it carries the recorder's state for it (holder, leak watch). */
    static final class Observed extends QueuePermit {

        /** What the recorder keeps for this handle; never references the handle. Null if nothing. */
        private final Object recorded;

        Observed(PermitQueue queue, int permits, Recorder recorder, Object origin) {
            super(queue, permits);
            this.recorded = recorder.opened(this, origin);
        }

        @Override
        void closed() {
            if (recorded != null) {
                queue.recorder().closed(this, recorded);
            }
        }
    }
}
