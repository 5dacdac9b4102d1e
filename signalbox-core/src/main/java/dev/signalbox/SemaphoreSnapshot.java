package dev.signalbox;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * An immutable picture of a semaphore's state, taken atomically (under its internal lock) by
 * {@link Semaphore#snapshot()}.
 *
 * @param name            the semaphore's name, or empty if it has none
 * @param availablePermits permits free now; negative while a lowered maximum is being paid back
 * @param maxPermits      the maximum ({@link BoundedSemaphore}), or empty when unbounded
 * @param waiters         acquirers queued now
 * @param oldestWait      how long the first waiter has waited ({@link Duration#ZERO} if none)
 * @param paused          whether grants are paused
 * @param closed          whether the semaphore was closed or failed
 * @param holders         the open {@link Permit} handles, oldest first, when holder tracking is on;
 *                        empty otherwise (permits taken without handles have no holder record)
 * @param totals          counts of outcomes since creation, when the semaphore records them
 */
public record SemaphoreSnapshot(
        Optional<String> name,
        int availablePermits,
        OptionalInt maxPermits,
        int waiters,
        Duration oldestWait,
        boolean paused,
        boolean closed,
        List<Holder> holders,
        Optional<Totals> totals) {

    /**
     * Checks the components and copies {@code holders}.
     *
     * @throws NullPointerException if a component other than a number or flag is null
     */
    public SemaphoreSnapshot {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(maxPermits, "maxPermits");
        Objects.requireNonNull(oldestWait, "oldestWait");
        holders = List.copyOf(holders);
        Objects.requireNonNull(totals, "totals");
    }

    /**
     * {@return this snapshot as a few lines of text for people: permits, waiters, state, then one
     * line per holder (with its acquisition site, indented, if recorded) and the totals}
     *
     * {@snippet lang=text :
     * semaphore 'db': 0 of 3 permits available, 2 waiting (the oldest for 1.204 s), paused
     *   holder worker-1: 2 permits since 2026-11-25T11:12:03.123Z
     *       at com.example.Billing.charge(Billing.java:42)
     *   holder worker-2: 1 permit since 2026-11-25T11:12:04.007Z
     *   totals: 12 granted, 1 cancelled, 0 timed out, 0 interrupted, 3 rejected
     * }
     */
    public String describe() {
        StringBuilder text = new StringBuilder("semaphore")
                .append(name.map(n -> " '" + n + "'").orElse(""))
                .append(": ").append(availablePermits);
        if (maxPermits.isPresent()) {
            text.append(" of ").append(maxPermits.getAsInt());
        }
        text.append(Math.abs(availablePermits) == 1 && maxPermits.isEmpty() ? " permit" : " permits")
                .append(" available, ").append(waiters).append(" waiting");
        if (waiters > 0) {
            text.append(" (the oldest for ").append(seconds(oldestWait)).append(')');
        }
        text.append(closed ? ", closed" : paused ? ", paused" : "");
        for (Holder holder : holders) {
            text.append("\n  holder ").append(holder.holder()).append(": ").append(holder.permits())
                    .append(holder.permits() == 1 ? " permit" : " permits").append(" since ").append(holder.since());
            for (StackTraceElement frame : holder.acquiredAt()) {
                text.append("\n      at ").append(frame);
            }
        }
        totals.ifPresent(t -> text.append("\n  totals: ")
                .append(t.granted()).append(" granted, ")
                .append(t.cancelled()).append(" cancelled, ")
                .append(t.timedOut()).append(" timed out, ")
                .append(t.interrupted()).append(" interrupted, ")
                .append(t.rejected()).append(" rejected"));
        return text.toString();
    }

    private static String seconds(Duration duration) {
        return String.format(java.util.Locale.ROOT, "%.3f s", duration.toNanos() / 1e9);
    }

    /**
     * One open permit handle.
     *
     * @param holder     the thread that acquired it (its name, or {@code #id} when unnamed)
     * @param permits    how many permits it holds
     * @param since      when it was granted
     * @param acquiredAt where it was acquired, when the semaphore records acquisition sites;
     *                   empty otherwise
     */
    public record Holder(String holder, int permits, Instant since, List<StackTraceElement> acquiredAt) {
        /**
         * Checks the components and copies {@code acquiredAt}.
         *
         * @throws NullPointerException if a component is null
         */
        public Holder {
            Objects.requireNonNull(holder, "holder");
            Objects.requireNonNull(since, "since");
            acquiredAt = List.copyOf(acquiredAt);
        }
    }

    /**
     * Outcomes counted since the semaphore was created.
     *
     * @param granted     acquires that got their permits (at once or after waiting)
     * @param cancelled   waiters whose future was cancelled or completed exceptionally
     * @param timedOut    waiters whose timeout elapsed first
     * @param interrupted blocked waiters whose thread was interrupted
     * @param rejected    acquires refused because the wait queue was full
     */
    public record Totals(long granted, long cancelled, long timedOut, long interrupted, long rejected) {}
}
