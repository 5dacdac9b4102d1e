package dev.signalbox.internal.observe;

import java.lang.ref.Cleaner;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.LongAdder;

import dev.signalbox.SemaphoreListener;
import dev.signalbox.SemaphoreListener.Outcome;
import dev.signalbox.SemaphoreSnapshot;
import dev.signalbox.internal.queue.PermitQueue;
import dev.signalbox.internal.queue.QueuePermit;
import dev.signalbox.internal.queue.Recorder;

/**
 * The {@link Recorder} of an observed semaphore: counts outcomes, tracks the holders of
 * {@code Permit} handles, detects handles that are dropped without being closed, emits JFR events
 * and tells listeners. Each part is on only when configured; a semaphore with none of them has no
 * observer at all.
 */
public final class Observer implements Recorder {

    /** The system property that turns acquisition sites on for every observed semaphore. */
    public static final String SITES_PROPERTY = "signalbox.recordAcquisitionSites";

    /** One daemon thread for all semaphores; it only runs the leak checks of unreachable handles. */
    private static final Cleaner CLEANER = Cleaner.create();

    private static final System.Logger LOG = System.getLogger("dev.signalbox.Semaphore");

    private final String name;
    private final Totals totals;
    private final Set<Holding> holders;
    private final boolean sites;
    private final int leakSampling;
    private final boolean reclaim;
    private final long longWaitNanos;
    private final SemaphoreListener[] listeners;
    /** Needs nothing kept per handle: no holders, leaks or listeners. */
    private final boolean statelessHandles;
    private volatile PermitQueue queue;
    /** The wall clock and {@link System#nanoTime()} read together once, so that a handle reads only the cheaper clock. */
    private final Instant wallBase = Instant.now();
    private final long nanoBase = System.nanoTime();

    /*
     * Implementation notes.
     *
     * Per handle the observer keeps a Holding: who, how many, since when, where. The Holding never
     * references the handle (QueuePermit) itself: the Cleaner watches the handle, and the Holding
     * is the Cleaner's action, so an unclosed handle can still become unreachable. Whoever first
     * flips the Holding's "done" flag — close() or the Cleaner — decides between "closed" and
     * "leaked", so a leak is reported at most once and never for a handle that was closed.
     * QueuePermit.close() fences its own reachability, so the Cleaner cannot run mid-close.
     */

    /**
     * Options of an observer; see {@code Semaphore.Builder}.
     *
     * @param longWaitNanos emit a JFR long-wait event from this wait on; negative: never
     * @param leakSampling  check one handle in this many for leaks; 0: no leak detection
     */
    public record Options(String name, boolean totals, boolean holders, boolean sites, int leakSampling,
            boolean reclaim, long longWaitNanos, List<SemaphoreListener> listeners) {

        /** Whether anything at all is observed. */
        public boolean any() {
            return totals || holders || leakSampling > 0 || longWaitNanos >= 0 || !listeners.isEmpty();
        }
    }

    private Observer(Options options) {
        this.name = options.name();
        this.totals = options.totals() ? new Totals() : null;
        this.holders = options.holders() ? ConcurrentHashMap.newKeySet() : null;
        this.sites = options.sites() || Boolean.getBoolean(SITES_PROPERTY);
        this.leakSampling = options.leakSampling();
        this.reclaim = options.reclaim();
        this.longWaitNanos = JfrEvents.AVAILABLE ? options.longWaitNanos() : -1;
        this.listeners = options.listeners().toArray(SemaphoreListener[]::new);
        this.statelessHandles = holders == null && leakSampling == 0 && listeners.length == 0;
    }

    /** An observer for {@code options}, or null if they observe nothing (then the queue pays nothing). */
    public static Observer of(Options options) {
        return options.any() ? new Observer(options) : null;
    }

    /** Connects the observer to the queue it observes (which is made with it), for returning leaked permits. */
    public void observe(PermitQueue queue) {
        this.queue = queue;
    }

    // ---------------------------------------------------------------- acquire outcomes

    @Override
    public void granted(int permits, long waitedNanos) {
        if (totals != null) {
            totals.granted.increment();
        }
        ended(permits, Outcome.GRANTED, waitedNanos);
    }

    @Override
    public void gaveUp(int permits, GiveUp why, long waitedNanos) {
        Outcome outcome = switch (why) {
            case CANCELLED -> Outcome.CANCELLED;
            case TIMED_OUT -> Outcome.TIMED_OUT;
            case INTERRUPTED -> Outcome.INTERRUPTED;
        };
        if (totals != null) {
            (switch (why) {
                case CANCELLED -> totals.cancelled;
                case TIMED_OUT -> totals.timedOut;
                case INTERRUPTED -> totals.interrupted;
            }).increment();
        }
        ended(permits, outcome, waitedNanos);
    }

    @Override
    public void rejected(int permits) {
        if (totals != null) {
            totals.rejected.increment();
        }
        ended(permits, Outcome.REJECTED, 0L);
    }

    private void ended(int permits, Outcome outcome, long waitedNanos) {
        if (longWaitNanos >= 0 && waitedNanos >= longWaitNanos && waitedNanos > 0) {
            JfrEvents.longWait(name, permits, waitedNanos, outcome);
        }
        if (listeners.length > 0) {
            Duration waited = Duration.ofNanos(waitedNanos);
            for (SemaphoreListener listener : listeners) {
                try {
                    listener.onAcquire(permits, outcome, waited);
                } catch (RuntimeException e) {
                    listenerFailed(listener, e);
                }
            }
        }
    }

    // ---------------------------------------------------------------- handles

    @Override
    public boolean tracksHandles() {
        return !statelessHandles;
    }

    @Override
    public Object requestOrigin() {
        return statelessHandles ? null : Origin.capture(sites);
    }

    @Override
    public Object opened(QueuePermit permit, Object origin) {
        if (statelessHandles) {
            return null;
        }
        boolean watched = leakSampling == 1
                || (leakSampling > 1 && ThreadLocalRandom.current().nextInt(leakSampling) == 0);
        if (holders == null && !watched && listeners.length == 0) {
            return null; // a handle the sampling skipped, on a semaphore that keeps nothing else
        }
        Holding holding;
        if (origin != null) {
            Origin from = (Origin) origin;
            holding = new Holding(this, permit.permits(), from.thread(), from.site(), System.nanoTime());
        } else {
            holding = new Holding(this, permit.permits(), Thread.currentThread(),
                    sites ? Origin.callerFrames() : List.of(), System.nanoTime());
        }
        if (holders != null) {
            holders.add(holding);
        }
        if (watched) {
            holding.watch(CLEANER.register(permit, holding));
        }
        return holding;
    }

    @Override
    public void closed(QueuePermit permit, Object state) {
        Holding holding = (Holding) state;
        if (!holding.finish()) {
            return;
        }
        holding.unwatch();
        if (holders != null) {
            holders.remove(holding);
        }
        if (listeners.length > 0) {
            Duration held = Duration.ofNanos(System.nanoTime() - holding.sinceNanos);
            for (SemaphoreListener listener : listeners) {
                try {
                    listener.onPermitClosed(holding.permits, held);
                } catch (RuntimeException e) {
                    listenerFailed(listener, e);
                }
            }
        }
    }

    /** The wall-clock time of a {@link System#nanoTime()} reading taken since this observer was made. */
    Instant wallClock(long nanoTime) {
        return wallBase.plusNanos(nanoTime - nanoBase);
    }

    /** Called once, by the Cleaner, for a watched handle that became unreachable unclosed. */
    void leaked(Holding holding) {
        if (holders != null) {
            holders.remove(holding);
        }
        boolean reclaimed = false;
        if (reclaim) {
            try {
                queue.give(holding.permits);
                reclaimed = true;
            } catch (IllegalStateException refused) {
                // A bounded semaphore already at its bound (raw release calls gave back more than they
                // took): returning these would break the bound, so they stay lost, and the log says so.
            }
        }
        long heldNanos = System.nanoTime() - holding.sinceNanos;
        SemaphoreSnapshot.Holder holder = holding.toHolder();
        LOG.log(System.Logger.Level.WARNING, () -> leakMessage(holder, heldNanos));
        JfrEvents.leak(name, holder, heldNanos, reclaimed);
        for (SemaphoreListener listener : listeners) {
            try {
                listener.onLeak(holder, reclaimed);
            } catch (RuntimeException e) {
                listenerFailed(listener, e);
            }
        }
    }

    private String leakMessage(SemaphoreSnapshot.Holder holder, long heldNanos) {
        StringBuilder message = new StringBuilder("LEAK: a Permit of ")
                .append(name == null ? "a semaphore" : "semaphore '" + name + "'")
                .append(" holding ").append(holder.permits()).append(holder.permits() == 1 ? " permit" : " permits")
                .append(", acquired by thread ").append(holder.holder())
                .append(" at ").append(holder.since())
                .append(" (").append(Duration.ofNanos(heldNanos).toMillis()).append(" ms ago)")
                .append(", was garbage-collected without being closed; ")
                .append(reclaim ? "its permits were returned." : "its permits are lost.");
        if (holder.acquiredAt().isEmpty()) {
            message.append(" To see where it was acquired, build the semaphore with recordAcquisitionSites(true)"
                    + " or run with -D" + SITES_PROPERTY + "=true.");
        } else {
            message.append(" Acquired at:");
            for (StackTraceElement frame : holder.acquiredAt()) {
                message.append("\n\tat ").append(frame);
            }
        }
        return message.toString();
    }

    private void listenerFailed(SemaphoreListener listener, RuntimeException e) {
        LOG.log(System.Logger.Level.WARNING, "semaphore listener " + listener + " failed; the semaphore carries on", e);
    }

    // ---------------------------------------------------------------- snapshots

    /** The holders of open handles, oldest first; empty unless holders are tracked. */
    public List<SemaphoreSnapshot.Holder> holders() {
        if (holders == null) {
            return List.of();
        }
        List<Holding> open = new ArrayList<>(holders);
        open.sort(Comparator.comparingLong(h -> h.sinceNanos));
        List<SemaphoreSnapshot.Holder> result = new ArrayList<>(open.size());
        for (Holding holding : open) {
            result.add(holding.toHolder());
        }
        return result;
    }

    /** The outcome counts, if they are kept. */
    public Optional<SemaphoreSnapshot.Totals> totals() {
        return totals == null ? Optional.empty() : Optional.of(totals.snapshot());
    }

    private static final class Totals {
        final LongAdder granted = new LongAdder();
        final LongAdder cancelled = new LongAdder();
        final LongAdder timedOut = new LongAdder();
        final LongAdder interrupted = new LongAdder();
        final LongAdder rejected = new LongAdder();

        SemaphoreSnapshot.Totals snapshot() {
            return new SemaphoreSnapshot.Totals(granted.sum(), cancelled.sum(), timedOut.sum(),
                    interrupted.sum(), rejected.sum());
        }
    }
}
