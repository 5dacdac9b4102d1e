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
            delivery.append(chain);
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

    private void append(Waiter<?> chain) {
        Waiter<?> last = chain;
        while (last.next != null) {
            last = last.next;
        }
        if (pendingTail == null) {
            pendingHead = chain;
        } else {
            pendingTail.next = chain;
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
