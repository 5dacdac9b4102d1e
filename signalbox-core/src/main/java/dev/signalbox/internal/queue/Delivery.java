package dev.signalbox.internal.queue;

/**
 * Completes granted waiters outside the queue's lock, one thread-local trampoline per thread: a
 * completion callback that releases (and so grants again) while a delivery runs on its thread
 * appends to that delivery instead of recursing, so stack depth stays constant however long the
 * chain of callbacks.
 */
final class Delivery {

    private static final ThreadLocal<Delivery> CURRENT = ThreadLocal.withInitial(Delivery::new);

    private boolean running;
    private Waiter<?> pendingHead;
    private Waiter<?> pendingTail;

    private Delivery() {}

    /** Delivers {@code chain} (linked through {@code next}) and everything it triggers on this thread. */
    static void deliver(Waiter<?> chain) {
        if (chain == null) {
            return;
        }
        Delivery delivery = CURRENT.get();
        if (delivery.running) {
            delivery.appendOrUnpark(chain);
            return;
        }
        delivery.running = true;
        try {
            for (Waiter<?> w = chain; w != null; ) {
                Waiter<?> next = w.next;
                w.next = null;
                w.deliver();
                w = next != null ? next : delivery.takePending();
            }
        } finally {
            delivery.running = false;
        }
    }

    /**
     * Defers the futures of {@code chain} to the running delivery, but unparks its blocked threads
     * at once: an unpark runs no caller code, so it cannot recurse, and the callback that released
     * may go on to wait for exactly the thread it just granted.
     */
    private void appendOrUnpark(Waiter<?> chain) {
        for (Waiter<?> w = chain; w != null; ) {
            Waiter<?> next = w.next;
            w.next = null;
            if (w instanceof Waiter.Parked) {
                w.deliver();
            } else if (pendingTail == null) {
                pendingHead = w;
                pendingTail = w;
            } else {
                pendingTail.next = w;
                pendingTail = w;
            }
            w = next;
        }
    }

    private Waiter<?> takePending() {
        Waiter<?> chain = pendingHead;
        pendingHead = null;
        pendingTail = null;
        return chain;
    }
}
