package dev.signalbox.internal.queue;

/**
 * Tells granted and failed waiters, outside the queue's lock.
 *
 * <p>Threads blocked in {@code acquire} are unparked at once: an unpark runs no caller code, so it
 * cannot recurse, and the code that released may go on to wait for exactly the thread it just
 * granted. Futures are completed through one thread-local trampoline per thread: a completion
 * callback that releases (and so grants again) while a delivery runs on its thread appends to
 * that delivery instead of recursing, so stack depth stays constant however long the chain of
 * callbacks. A thread that only ever wakes blocked threads (e.g. a virtual thread) never creates
 * its trampoline.
 */
final class Delivery {

    private static final ThreadLocal<Delivery> CURRENT = ThreadLocal.withInitial(Delivery::new);

    private boolean running;
    private Waiter<?> pendingHead;
    private Waiter<?> pendingTail;

    private Delivery() {}

    /** Delivers {@code chain} (linked through {@code next}) and everything it triggers on this thread. */
    static void deliver(Waiter<?> chain) {
        Waiter<?> futures = null;
        Waiter<?> last = null;
        for (Waiter<?> w = chain; w != null; ) {
            Waiter<?> next = w.next;
            w.next = null;
            if (w instanceof Waiter.Parked) {
                w.deliver();
            } else if (last == null) {
                futures = last = w;
            } else {
                last.next = w;
                last = w;
            }
            w = next;
        }
        if (futures == null) {
            return;
        }
        Delivery delivery = CURRENT.get();
        if (delivery.running) {
            delivery.append(futures, last);
            return;
        }
        delivery.running = true;
        try {
            for (Waiter<?> w = futures; w != null; ) {
                Waiter<?> next = w.next;
                w.next = null;
                w.deliver();
                w = next != null ? next : delivery.takePending();
            }
        } finally {
            delivery.running = false;
        }
    }

    /** {@code a} followed by {@code b}; either may be null. */
    static Waiter<?> concat(Waiter<?> a, Waiter<?> b) {
        if (a == null) {
            return b;
        }
        Waiter<?> last = a;
        while (last.next != null) {
            last = last.next;
        }
        last.next = b;
        return a;
    }

    private void append(Waiter<?> first, Waiter<?> last) {
        if (pendingTail == null) {
            pendingHead = first;
        } else {
            pendingTail.next = first;
        }
        pendingTail = last;
    }

    private Waiter<?> takePending() {
        Waiter<?> chain = pendingHead;
        pendingHead = null;
        pendingTail = null;
        return chain;
    }
}
