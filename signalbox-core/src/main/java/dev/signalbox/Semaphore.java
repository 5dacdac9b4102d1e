package dev.signalbox;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;

import dev.signalbox.internal.observe.Observer;
import dev.signalbox.internal.queue.PermitQueue;

/**
 * A counting semaphore that serves its waiters strictly first-in first-out, for
 * {@code CompletableFuture} code and for (virtual) threads alike: asyncio's {@code Semaphore}
 * for Java.
 *
 * {@snippet class=dev.signalbox.snippets.CoreSnippets region=semaphore :
 * Semaphore semaphore = Semaphore.of(2);             // like asyncio.Semaphore(2)
 *
 * try (Permit permit = semaphore.acquirePermit()) {  // blocking; cheap on virtual threads
 *     callTheBackend();
 * }
 *
 * semaphore.withPermitAsync(() -> client.sendAsync(request))   // async; released when done
 *          .thenAccept(this::handle);
 * }
 *
 * <p><b>Counter.</b> The semaphore holds a number of permits, at least 0. {@code acquire} takes
 * permits or waits until they are released; {@code release} adds them and wakes waiters in order.
 * There is no owner: any thread may release. {@link BoundedSemaphore} refuses releases that would
 * raise the count above its initial value.
 *
 * <p><b>Fairness.</b> Waiters are served strictly first-in first-out across every entry point
 * (blocking, async, timed, weighted). Nothing overtakes a waiter: {@code tryAcquire} fails and a
 * new {@code acquire} queues while anyone waits, even if enough permits are free for it. A waiter
 * for {@code n} permits at the head holds back later, smaller requests, so large requests never
 * starve.
 *
 * <p><b>Cancellation.</b> A waiter that gives up — its future cancelled or completed exceptionally
 * (as {@code orTimeout} does), its timed acquire timed out, its thread interrupted — leaves the
 * queue at once, and the permits that were to be assigned to it go to the next waiter. If the
 * grant wins the race, giving up fails: {@code cancel} returns false and the future completes
 * normally, a timed acquire returns true, an interrupted acquire returns normally with the
 * interrupt status set. Either way no permit is lost or granted twice.
 *
 * <p><b>Callbacks.</b> Futures are completed outside any internal lock, so a completion callback
 * may acquire or release again. Chains of callbacks that release run in constant stack depth.
 * The futures returned by the async methods cannot be completed normally by callers
 * ({@code complete} and {@code obtrude*} throw {@link UnsupportedOperationException}).
 *
 * <p><b>Memory consistency.</b> Actions in a thread before a release happen-before actions
 * following a successful acquire in another thread, including the dependent actions of the
 * acquiring future.
 *
 * <p><b>Operating.</b> A live semaphore can be paused and resumed ({@link #pause()}), closed or
 * failed ({@link #close()}, {@link #fail(Throwable)}: waiters and later acquires fail, holders may
 * still release), given an admission limit ({@link Builder#maxWaiters(int)}), and — a
 * {@link BoundedSemaphore} — resized without waiting. Each is linearizable with acquiring,
 * cancelling and releasing.
 *
 * <p><b>Observing.</b> {@link #snapshot()} shows permits, waiters and state; the builder turns on
 * outcome totals, holder tracking with acquisition sites, leak detection for {@link Permit}
 * handles, JFR events for long waits, and listeners for metrics. Each is off by default, and a
 * semaphore with none of them on pays nothing for them.
 *
 * <p><b>Threads.</b> All methods are thread-safe. Blocking methods park with
 * {@link java.util.concurrent.locks.LockSupport}, so a waiting virtual thread unmounts from its
 * carrier.
 *
 * @see BoundedSemaphore
 */
public sealed class Semaphore implements PermitSource permits BoundedSemaphore {

    /** The one future every immediate async grant returns: complete, and immutable. */
    private static final CompletableFuture<Void> ACQUIRED = new ImmutableCompletion();

    final PermitQueue queue;
    private final String name;
    /** Counts, holders, leaks, events and listeners; null unless the builder asked for any of them. */
    private final Observer observer;

    Semaphore(Builder options, int bound) {
        Observer observer = Observer.of(options.observerOptions());
        this.queue = new PermitQueue(options.permits, bound, options.maxWaiters, observer);
        if (observer != null) {
            observer.observe(queue);
        }
        this.observer = observer;
        this.name = options.name;
    }

    /**
     * Creates a fair semaphore with {@code permits} permits, like {@code asyncio.Semaphore(permits)}.
     *
     * @param permits the initial number of permits; not negative
     * @return the semaphore
     * @throws IllegalArgumentException if {@code permits} is negative
     */
    public static Semaphore of(int permits) {
        return builder(permits).build();
    }

    /**
     * Starts configuring a semaphore with {@code permits} permits: a name, an admission limit, and
     * what to observe (see {@link Builder}).
     *
     * {@snippet class=dev.signalbox.snippets.CoreSnippets region=builder :
     * Semaphore db = Semaphore.builder(10).name("db").maxWaiters(1_000).build();
     * }
     *
     * @param permits the initial number of permits; not negative
     * @return a builder
     * @throws IllegalArgumentException if {@code permits} is negative
     */
    public static Builder builder(int permits) {
        return new Builder(requireNonNegative(permits));
    }

    // ---------------------------------------------------------------- blocking

    /**
     * Acquires one permit, waiting until it is granted.
     *
     * @throws InterruptedException if the thread is interrupted before the grant; nothing is held
     * @throws SemaphoreClosedException if the semaphore is or gets closed before the grant
     * @throws TooManyWaitersException if it would have to wait and the wait queue is full
     */
    public void acquire() throws InterruptedException {
        queue.take(1, Long.MAX_VALUE);
    }

    /**
     * Acquires {@code permits} permits at once, waiting until they are granted.
     *
     * @param permits how many permits; positive
     * @throws IllegalArgumentException if {@code permits} is not positive, or above the bound of a
     *     {@link BoundedSemaphore}
     * @throws InterruptedException if the thread is interrupted before the grant; nothing is held
     * @throws SemaphoreClosedException if the semaphore is or gets closed before the grant
     * @throws TooManyWaitersException if it would have to wait and the wait queue is full
     */
    public void acquire(int permits) throws InterruptedException {
        queue.take(checkPermits(permits), Long.MAX_VALUE);
    }

    /**
     * Acquires one permit if it is granted within {@code timeout}; a zero or negative timeout
     * does not wait (but still never overtakes a waiter).
     *
     * @param timeout how long to wait at most
     * @return true if acquired, false if the timeout elapsed first (nothing is held then)
     * @throws NullPointerException if {@code timeout} is null
     * @throws InterruptedException if the thread is interrupted before the grant; nothing is held
     * @throws SemaphoreClosedException if the semaphore is or gets closed before the grant
     * @throws TooManyWaitersException if it would have to wait and the wait queue is full
     */
    public boolean tryAcquire(Duration timeout) throws InterruptedException {
        return queue.take(1, toNanos(timeout));
    }

    /**
     * Acquires {@code permits} permits if they are granted within {@code timeout}; see
     * {@link #tryAcquire(Duration)}.
     *
     * @param permits how many permits; positive
     * @param timeout how long to wait at most
     * @return true if acquired, false if the timeout elapsed first (nothing is held then)
     * @throws IllegalArgumentException if {@code permits} is not positive, or above the bound of a
     *     {@link BoundedSemaphore}
     * @throws NullPointerException if {@code timeout} is null
     * @throws InterruptedException if the thread is interrupted before the grant; nothing is held
     * @throws SemaphoreClosedException if the semaphore is or gets closed before the grant
     * @throws TooManyWaitersException if it would have to wait and the wait queue is full
     */
    public boolean tryAcquire(int permits, Duration timeout) throws InterruptedException {
        return queue.take(checkPermits(permits), toNanos(timeout));
    }

    // ---------------------------------------------------------------- never waiting

    /**
     * Acquires one permit if one is free, nobody waits and the semaphore is not paused; never waits.
     *
     * @return true if acquired
     * @throws SemaphoreClosedException if the semaphore is closed
     */
    public boolean tryAcquire() {
        return queue.tryTake(1);
    }

    /**
     * Acquires {@code permits} permits if they are free, nobody waits and the semaphore is not
     * paused; never waits.
     *
     * @param permits how many permits; positive
     * @return true if acquired
     * @throws IllegalArgumentException if {@code permits} is not positive, or above the bound of a
     *     {@link BoundedSemaphore}
     * @throws SemaphoreClosedException if the semaphore is closed
     */
    public boolean tryAcquire(int permits) {
        return queue.tryTake(checkPermits(permits));
    }

    // ---------------------------------------------------------------- async

    /**
     * Returns a future that completes when one permit is granted: already complete if it is free
     * and nobody waits. Cancel the future, or complete it exceptionally (e.g. with
     * {@code orTimeout}), to withdraw the request.
     *
     * @return a future of the grant; it cannot be completed normally by the caller.
     *     The future fails with {@link SemaphoreClosedException} if the semaphore is or gets
     *     closed first, and with {@link TooManyWaitersException} if the request would have to
     *     wait and the wait queue is full.
     */
    public CompletableFuture<Void> acquireAsync() {
        return queue.takeAsync(1, ACQUIRED);
    }

    /**
     * Returns a future that completes when {@code permits} permits are granted; see
     * {@link #acquireAsync()}.
     *
     * @param permits how many permits; positive
     * @return a future of the grant, as for {@link #acquireAsync()}
     * @throws IllegalArgumentException if {@code permits} is not positive, or above the bound of a
     *     {@link BoundedSemaphore}
     */
    public CompletableFuture<Void> acquireAsync(int permits) {
        return queue.takeAsync(checkPermits(permits), ACQUIRED);
    }

    // ---------------------------------------------------------------- releasing

    /**
     * Releases one permit, granting it to the first waiter if there is one.
     *
     * @throws IllegalStateException if the count would overflow, or exceed the bound of a
     *     {@link BoundedSemaphore} ("released too many times"); then nothing changes
     */
    public void release() {
        queue.give(1);
    }

    /**
     * Releases {@code permits} permits, granting them to waiters in order.
     *
     * @param permits how many permits; positive
     * @throws IllegalArgumentException if {@code permits} is not positive
     * @throws IllegalStateException if the count would overflow, or exceed the bound of a
     *     {@link BoundedSemaphore} ("released too many times"); then nothing changes
     */
    public void release(int permits) {
        queue.give(requirePositive(permits));
    }

    // ---------------------------------------------------------------- permit handles

    /**
     * Acquires one permit as a handle that releases it on {@code close()}.
     *
     * @return the handle
     * @throws InterruptedException if the thread is interrupted before the grant; nothing is held
     * @throws SemaphoreClosedException if the semaphore is or gets closed before the grant
     * @throws TooManyWaitersException if it would have to wait and the wait queue is full
     */
    @Override
    public Permit acquirePermit() throws InterruptedException {
        return acquirePermit(1);
    }

    @Override
    public Permit acquirePermit(int permits) throws InterruptedException {
        queue.take(checkPermits(permits), Long.MAX_VALUE);
        return queue.newPermit(permits);
    }

    @Override
    public Optional<Permit> tryAcquirePermit(int permits, Duration timeout) throws InterruptedException {
        return queue.take(checkPermits(permits), toNanos(timeout))
                ? Optional.of(queue.newPermit(permits))
                : Optional.empty();
    }

    @Override
    public CompletableFuture<Permit> acquirePermitAsync() {
        return queue.takePermitAsync(1);
    }

    @Override
    public CompletableFuture<Permit> acquirePermitAsync(int permits) {
        return queue.takePermitAsync(checkPermits(permits));
    }

    // ---------------------------------------------------------------- operating

    /**
     * Stops granting permits: acquirers queue (in order) and {@code tryAcquire} fails until
     * {@link #resume()}; releases still count. Holders keep what they hold. Never waits.
     * Pausing a paused semaphore does nothing.
     */
    public void pause() {
        queue.setPaused(true);
    }

    /**
     * Resumes granting after {@link #pause()}, serving the queued waiters in order. Resuming a
     * semaphore that is not paused does nothing.
     */
    public void resume() {
        queue.setPaused(false);
    }

    /**
     * Closes the semaphore: every queued waiter and every later acquire fails with
     * {@link SemaphoreClosedException}. Holders may still release. Closing twice does nothing.
     *
     * @return true if this call closed it
     */
    public boolean close() {
        return queue.close(null);
    }

    /**
     * Fails the semaphore with {@code cause}: as {@link #close()}, with the exceptions caused by
     * {@code cause}.
     *
     * @param cause why the semaphore failed; the cause of every {@link SemaphoreClosedException} it throws
     * @return true if this call closed it
     * @throws NullPointerException if {@code cause} is null
     */
    public boolean fail(Throwable cause) {
        return queue.close(Objects.requireNonNull(cause, "cause"));
    }

    // ---------------------------------------------------------------- observing

    /** {@return the name given by {@link Builder#name(String)}, or empty if none was given} */
    public Optional<String> name() {
        return Optional.ofNullable(name);
    }

    /** {@return whether {@link #close()} or {@link #fail(Throwable)} was called} */
    public boolean isClosed() {
        return queue.isClosed();
    }

    /**
     * A picture of this semaphore's state; see {@link SemaphoreSnapshot}. Permits, waiters and
     * flags are taken together, atomically; holders and totals are read just after, so under load
     * they may differ from those by the operations that ran in between.
     *
     * {@snippet class=dev.signalbox.snippets.CoreSnippets region=snapshot :
     * SemaphoreSnapshot snapshot = semaphore.snapshot();
     * if (snapshot.oldestWait().compareTo(Duration.ofSeconds(5)) > 0) {
     *     log.warn("stuck on {}: held by {}", snapshot.name(), snapshot.holders());
     * }
     * }
     *
     * @return the snapshot
     */
    public SemaphoreSnapshot snapshot() {
        PermitQueue.View view = queue.view();
        return new SemaphoreSnapshot(
                name(),
                view.available(),
                view.bound() == Integer.MAX_VALUE ? OptionalInt.empty() : OptionalInt.of(view.bound()),
                view.queued(),
                Duration.ofNanos(view.oldestWaitNanos()),
                view.paused(),
                view.closed(),
                observer == null ? List.of() : observer.holders(),
                observer == null ? Optional.empty() : observer.totals());
    }

    /**
     * {@return whether {@link #acquire()} would wait now} That is: no permit is free, somebody
     * already waits, or the semaphore is paused (as asyncio's {@code locked()}).
     */
    public boolean locked() {
        return queue.wouldWait(1);
    }

    /** {@return the number of permits free now; negative while a lowered maximum is paid back} */
    public int availablePermits() {
        return queue.available();
    }

    /** {@return the number of acquirers waiting now} */
    public int queueLength() {
        return queue.queued();
    }

    /**
     * For example {@code Semaphore[permits=1, waiters=2]}, {@code Semaphore[name=db, permits=1, waiters=2]}
     * or {@code BoundedSemaphore[permits=0, maxPermits=2, waiters=1]}.
     */
    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + (name == null ? "" : "name=" + name + ", ") + queue + "]";
    }

    // ---------------------------------------------------------------- argument checks

    /** Checks an acquire request: positive, and not beyond what could ever be granted. */
    private int checkPermits(int permits) {
        int bound = queue.bound();
        if (permits > bound) {
            throw PermitQueue.tooLarge(permits, bound);
        }
        return requirePositive(permits);
    }

    static int requirePositive(int permits) {
        if (permits <= 0) {
            throw new IllegalArgumentException("permits must be positive, got " + permits);
        }
        return permits;
    }

    /**
     * Options for a {@link Semaphore} or {@link BoundedSemaphore}; see {@link Semaphore#builder(int)}.
     *
     * <p>Besides a name and an admission limit, the builder turns on the ways of observing a
     * semaphore. Each is off by default, and a semaphore with none of them on pays nothing for
     * them (one null check on its fast paths).
     *
     * {@snippet class=dev.signalbox.snippets.CoreSnippets region=builder-options :
     * Semaphore db = Semaphore.builder(10)
     *         .name("db")
     *         .maxWaiters(1_000)                        // shed load instead of queueing forever
     *         .recordTotals(true)                       // granted, cancelled, timed out... in snapshots
     *         .trackHolders(true)                       // who holds which Permit, since when
     *         .detectLeaks(100)                         // check about one Permit in 100 for leaks
     *         .reportLongWaits(Duration.ofMillis(50))   // JFR event for waits of 50 ms or more
     *         .build();
     * }
     *
     * <p>A builder is not thread-safe; each {@code build} makes an independent semaphore.
     */
    public static final class Builder {

        final int permits;
        String name;
        int maxWaiters = Integer.MAX_VALUE;
        private boolean totals;
        private boolean holders;
        private boolean sites;
        private int leakSampling;
        private boolean reclaimLeaks;
        private long longWaitNanos = -1;
        private final List<SemaphoreListener> listeners = new ArrayList<>();

        Builder(int permits) {
            this.permits = permits;
        }

        /**
         * Names the semaphore, for {@code toString}, snapshots, events, logs and metrics.
         *
         * @param name the name; not blank
         * @return this builder
         * @throws NullPointerException if {@code name} is null
         * @throws IllegalArgumentException if {@code name} is blank
         */
        public Builder name(String name) {
            Objects.requireNonNull(name, "name");
            if (name.isBlank()) {
                throw new IllegalArgumentException("name must not be blank, got '" + name + "'");
            }
            this.name = name;
            return this;
        }

        /**
         * Limits how many acquirers may wait at once; an acquire that would wait beyond it fails
         * at once with {@link TooManyWaitersException} (the async methods return a future failed
         * with it). 0 means nobody waits. Unlimited by default.
         *
         * @param maxWaiters the most acquirers that may queue at once; not negative
         * @return this builder
         * @throws IllegalArgumentException if {@code maxWaiters} is negative
         */
        public Builder maxWaiters(int maxWaiters) {
            if (maxWaiters < 0) {
                throw new IllegalArgumentException("maxWaiters must not be negative, got " + maxWaiters);
            }
            this.maxWaiters = maxWaiters;
            return this;
        }

        /**
         * Counts how acquires end — granted, cancelled, timed out, interrupted, rejected — for
         * {@link SemaphoreSnapshot#totals()}. Costs one striped counter increment per acquire.
         *
         * @param on whether to count
         * @return this builder
         */
        public Builder recordTotals(boolean on) {
            this.totals = on;
            return this;
        }

        /**
         * Tracks every open {@link Permit} handle — its holder thread, permits and since when — for
         * {@link SemaphoreSnapshot#holders()}. Permits taken without a handle
         * ({@link Semaphore#acquire()}) have no holder and are not listed. Costs a small object and
         * a concurrent-set insertion per handle.
         *
         * @param on whether to track
         * @return this builder
         */
        public Builder trackHolders(boolean on) {
            this.holders = on;
            return this;
        }

        /**
         * Records where each tracked {@link Permit} handle was acquired (a stack trace of the
         * requesting thread), for holders in snapshots and for leak reports: debug mode. Costs a
         * stack walk per tracked handle, so it is meant for finding a problem, not for always.
         * The system property {@code -Dsignalbox.recordAcquisitionSites=true} turns it on for
         * every semaphore that tracks holders or detects leaks.
         *
         * @param on whether to record acquisition sites
         * @return this builder
         */
        public Builder recordAcquisitionSites(boolean on) {
            this.sites = on;
            return this;
        }

        /**
         * Watches {@link Permit} handles for leaks: a handle that becomes unreachable without being
         * closed is reported once, through {@link System.Logger} (logger {@code dev.signalbox.Semaphore},
         * level WARNING), a {@code dev.signalbox.PermitLeak} JFR event and
         * {@link SemaphoreListener#onLeak}, with its acquisition site if those are recorded. Like
         * Netty's leak detector, it samples: about one handle in {@code samplingInterval} is
         * watched, so that it costs nearly nothing left on in production; 1 watches every handle.
         *
         * @param samplingInterval watch about one handle in this many; at least 1
         * @return this builder
         * @throws IllegalArgumentException if {@code samplingInterval} is below 1
         */
        public Builder detectLeaks(int samplingInterval) {
            if (samplingInterval < 1) {
                throw new IllegalArgumentException("samplingInterval must be at least 1, got " + samplingInterval);
            }
            this.leakSampling = samplingInterval;
            return this;
        }

        /**
         * Returns the permits of a leaked handle to the semaphore when the leak is detected, so
         * that a leak costs capacity only until the garbage collector finds it. Only watched
         * handles are reclaimed: with {@code detectLeaks(1)}, every handle. Waiters served from
         * reclaimed permits have their futures completed on the cleaner thread.
         *
         * @param on whether to return leaked permits
         * @return this builder
         */
        public Builder reclaimLeakedPermits(boolean on) {
            this.reclaimLeaks = on;
            return this;
        }

        /**
         * Emits a {@code dev.signalbox.LongWait} JFR event (semaphore name, permits, wait time,
         * outcome) for every acquire that waited at least {@code threshold}, however it ended —
         * visible in JDK Mission Control when a recording enables it. Does nothing on a runtime
         * without the {@code jdk.jfr} module.
         *
         * @param threshold the shortest wait reported; positive
         * @return this builder
         * @throws NullPointerException if {@code threshold} is null
         * @throws IllegalArgumentException if {@code threshold} is zero or negative
         */
        public Builder reportLongWaits(Duration threshold) {
            Objects.requireNonNull(threshold, "threshold");
            if (threshold.isNegative() || threshold.isZero()) {
                throw new IllegalArgumentException("threshold must be positive, got " + threshold);
            }
            this.longWaitNanos = toNanos(threshold);
            return this;
        }

        /**
         * Adds a listener told about acquire outcomes, hold times and leaks; see
         * {@link SemaphoreListener}. May be called several times.
         *
         * @param listener the listener
         * @return this builder
         * @throws NullPointerException if {@code listener} is null
         */
        public Builder listener(SemaphoreListener listener) {
            listeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        /**
         * Builds a fair semaphore with these options.
         *
         * @return the semaphore
         * @throws IllegalStateException if leaked permits are to be reclaimed but leaks are not detected
         */
        public Semaphore build() {
            return attach(new Semaphore(checked(), Integer.MAX_VALUE));
        }

        /**
         * Builds a {@link BoundedSemaphore} with these options, bounded by the initial permits.
         *
         * @return the semaphore
         * @throws IllegalStateException if leaked permits are to be reclaimed but leaks are not detected
         */
        public BoundedSemaphore buildBounded() {
            return attach(new BoundedSemaphore(checked()));
        }

        private Builder checked() {
            if (reclaimLeaks && leakSampling == 0) {
                throw new IllegalStateException("reclaimLeakedPermits(true) needs detectLeaks(samplingInterval)");
            }
            return this;
        }

        private <S extends Semaphore> S attach(S semaphore) {
            for (SemaphoreListener listener : listeners) {
                listener.onAttach(semaphore);
            }
            return semaphore;
        }

        Observer.Options observerOptions() {
            return new Observer.Options(name, totals, holders, sites, leakSampling, reclaimLeaks, longWaitNanos,
                    List.copyOf(listeners));
        }
    }

    static int requireNonNegative(int permits) {
        if (permits < 0) {
            throw new IllegalArgumentException("initial permits must not be negative, got " + permits);
        }
        return permits;
    }

    /** The timeout in nanoseconds, saturated: anything beyond about 292 years waits forever. */
    private static long toNanos(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        try {
            return timeout.toNanos();
        } catch (ArithmeticException tooLong) {
            return timeout.isNegative() ? 0 : Long.MAX_VALUE;
        }
    }

    /** A completed future nobody can change: safe to share among all callers. */
    private static final class ImmutableCompletion extends CompletableFuture<Void> {
        ImmutableCompletion() {
            super.complete(null);
        }

        @Override
        public void obtrudeValue(Void value) {
            throw new UnsupportedOperationException("this future is shared and cannot be changed");
        }

        @Override
        public void obtrudeException(Throwable ex) {
            throw new UnsupportedOperationException("this future is shared and cannot be changed");
        }
    }
}
