package dev.signalbox.internal.queue;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

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
    private volatile boolean released;

    QueuePermit(PermitQueue queue, int permits) {
        this.queue = queue;
        this.permits = permits;
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
        if (RELEASED.compareAndSet(this, false, true)) {
            try {
                queue.give(permits);
            } catch (RuntimeException e) {
                // Refused (a bounded semaphore over-released by raw release calls): change nothing.
                released = false;
                throw e;
            }
            Recorder r = queue.recorder();
            if (r != null) {
                r.closed(this);
            }
        }
    }

    @Override
    public String toString() {
        return "Permit[permits=" + permits + (released ? ", released]" : "]");
    }
}
