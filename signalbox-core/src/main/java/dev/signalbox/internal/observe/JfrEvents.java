package dev.signalbox.internal.observe;

import java.util.Optional;

import dev.signalbox.SemaphoreListener.Outcome;
import dev.signalbox.SemaphoreSnapshot;

/**
 * Emits the JFR events, if the {@code jdk.jfr} module is there: the core only {@code requires
 * static} it, so that a runtime image without JFR still runs the core (without events).
 */
final class JfrEvents {

    /** Whether {@code jdk.jfr} can be used from here. */
    static final boolean AVAILABLE = available();

    private JfrEvents() {}

    private static boolean available() {
        Optional<Module> jfr = ModuleLayer.boot().findModule("jdk.jfr");
        return jfr.isPresent() && JfrEvents.class.getModule().canRead(jfr.get());
    }

    static void longWait(String semaphore, int permits, long waitedNanos, Outcome outcome) {
        if (AVAILABLE) {
            Events.longWait(semaphore, permits, waitedNanos, outcome);
        }
    }

    static void leak(String semaphore, SemaphoreSnapshot.Holder holder, long heldNanos, boolean reclaimed) {
        if (AVAILABLE) {
            Events.leak(semaphore, holder, heldNanos, reclaimed);
        }
    }

    /** The only class that touches {@code jdk.jfr} types; loaded only when it is available. */
    private static final class Events {

        static void longWait(String semaphore, int permits, long waitedNanos, Outcome outcome) {
            LongWaitEvent event = new LongWaitEvent();
            if (event.shouldCommit()) {
                event.semaphore = semaphore;
                event.permits = permits;
                event.waitTime = waitedNanos;
                event.outcome = outcome.name();
                event.commit();
            }
        }

        static void leak(String semaphore, SemaphoreSnapshot.Holder holder, long heldNanos, boolean reclaimed) {
            PermitLeakEvent event = new PermitLeakEvent();
            if (event.shouldCommit()) {
                event.semaphore = semaphore;
                event.permits = holder.permits();
                event.holder = holder.holder();
                event.heldFor = heldNanos;
                event.acquiredAt = holder.acquiredAt().isEmpty() ? null : render(holder.acquiredAt());
                event.reclaimed = reclaimed;
                event.commit();
            }
        }

        private static String render(java.util.List<StackTraceElement> frames) {
            StringBuilder text = new StringBuilder();
            for (StackTraceElement frame : frames) {
                text.append(text.isEmpty() ? "" : "\n").append(frame);
            }
            return text.toString();
        }
    }
}
