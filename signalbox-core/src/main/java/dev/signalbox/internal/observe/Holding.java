package dev.signalbox.internal.observe;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.ref.Cleaner;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import dev.signalbox.SemaphoreSnapshot;

/**
 * What an observer keeps about one open handle, apart from the handle itself (see
 * {@link Observer}'s notes): the Cleaner's action when the handle is watched for leaks.
 */
final class Holding implements Runnable {

    private static final VarHandle DONE;

    static {
        try {
            DONE = MethodHandles.lookup().findVarHandle(Holding.class, "done", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Observer observer;
    final int permits;
    /** The thread that asked for the handle; its name is read when the holder is shown. */
    private final Thread thread;
    /** Where it asked, in debug mode; empty otherwise. */
    private final List<StackTraceElement> site;
    final long sinceNanos;
    /** For hash sets: cheaper than the identity hash, which the first call installs in the header. */
    private final int hash = ThreadLocalRandom.current().nextInt();
    /** Set once, by close() or by the Cleaner: whoever sets it decides "closed" or "leaked". */
    private volatile boolean done;
    /** The Cleaner's registration when watched for leaks; null otherwise. Set before the handle is published. */
    private Cleaner.Cleanable cleanable;

    Holding(Observer observer, int permits, Thread thread, List<StackTraceElement> site, long sinceNanos) {
        this.observer = observer;
        this.permits = permits;
        this.thread = thread;
        this.site = site;
        this.sinceNanos = sinceNanos;
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public boolean equals(Object other) {
        return this == other;
    }

    void watch(Cleaner.Cleanable registration) {
        this.cleanable = registration;
    }

    /** Deregisters from the Cleaner after a close (running the action, which then does nothing). */
    void unwatch() {
        Cleaner.Cleanable registration = cleanable;
        if (registration != null) {
            registration.clean();
        }
    }

    /** @return true for the one caller that ends this holding */
    boolean finish() {
        return DONE.compareAndSet(this, false, true);
    }

    /** The Cleaner's action: the handle became unreachable; a leak unless it was closed first. */
    @Override
    public void run() {
        if (finish()) {
            observer.leaked(this);
        }
    }

    SemaphoreSnapshot.Holder toHolder() {
        return new SemaphoreSnapshot.Holder(Origin.nameOf(thread), permits, observer.wallClock(sinceNanos), site);
    }
}
