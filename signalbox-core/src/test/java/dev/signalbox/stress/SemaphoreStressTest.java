package dev.signalbox.stress;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntFunction;

import dev.signalbox.BoundedSemaphore;
import dev.signalbox.Permit;
import dev.signalbox.Semaphore;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Millions of acquires racing cancellation, timeouts, interrupts and releases on several threads,
 * then an exact count: every permit is back, no waiter is left, and an occupancy counter never saw
 * more holders than permits. Weighted requests (1 or 2 of 3 permits) keep the head-of-line rule
 * busy. {@code -Dsignalbox.stress.scale=N} multiplies the operations (and the time cap) by N.
 */
@Tag("stress")
class SemaphoreStressTest {

    /** Three permits, requests of one or two: a waiter for two is often held back with one free. */
    private static final int PERMITS = 3;
    /** Twice the cores here: threads are preempted mid-operation, which is where races live. */
    private static final int WORKERS = 4;
    /** Operations per worker at scale 1: 2 million per semaphore kind, about 10-12 s each on a 2-core machine. */
    private static final int OPERATIONS_PER_WORKER = 500_000;
    /** Workers stop here however far they got (both kinds: 40 s at most); the count is checked all the same. */
    private static final Duration TIME_CAP = Duration.ofSeconds(20);

    enum Kind {
        SEMAPHORE(Semaphore::of),
        BOUNDED(BoundedSemaphore::of);

        final IntFunction<Semaphore> factory;

        Kind(IntFunction<Semaphore> factory) {
            this.factory = factory;
        }
    }

    private static int scale() {
        return Integer.getInteger("signalbox.stress.scale", 1);
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    @Timeout(value = 15, unit = TimeUnit.MINUTES) // a ceiling for long soaks; runs stop at TIME_CAP x scale
    void racingOperationsNeverLoseOrDuplicateAPermit(Kind kind) throws InterruptedException {
        Semaphore semaphore = kind.factory.apply(PERMITS);
        Duration cap = TIME_CAP.multipliedBy(scale());
        long deadline = System.nanoTime() + cap.toNanos();
        long operations = (long) OPERATIONS_PER_WORKER * scale();
        long seed = System.nanoTime();
        Occupancy occupancy = new Occupancy();
        LongAdder done = new LongAdder();
        AtomicReference<Throwable> failure = new AtomicReference<>();

        List<Thread> workers = new ArrayList<>();
        for (int w = 0; w < WORKERS; w++) {
            SplittableRandom random = new SplittableRandom(seed + w);
            workers.add(Thread.ofPlatform().daemon().name("stress-" + w).start(() -> {
                try {
                    for (long i = 0; i < operations && System.nanoTime() - deadline < 0; i++) {
                        new Operation(semaphore, random, occupancy).run();
                        done.increment();
                    }
                } catch (Throwable t) {
                    failure.compareAndSet(null, t);
                } finally {
                    Thread.interrupted();
                }
            }));
        }
        Thread interrupter = Thread.ofPlatform().daemon().name("interrupter").start(() -> {
            SplittableRandom random = new SplittableRandom(seed - 1);
            while (workers.stream().anyMatch(Thread::isAlive)) {
                workers.get(random.nextInt(WORKERS)).interrupt();
                // Interrupt roughly every 20-100 microseconds: often enough to hit blocked acquires.
                LockSupport.parkNanos(20_000 + random.nextInt(80_000));
            }
        });

        for (Thread worker : workers) {
            long left = deadline - System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            worker.join(Duration.ofNanos(Math.max(left, 1)));
            assertThat(worker.isAlive()).as("%s still running 20 s after the time cap (hung?)", worker).isFalse();
        }
        interrupter.join(Duration.ofSeconds(5));

        assertThat(failure.get()).as("a worker failed (seed %d)", seed).isNull();
        assertThat(occupancy.most.get()).as("most holders inside at once (seed %d)", seed).isBetween(1, PERMITS);
        assertThat(semaphore.availablePermits()).as("permits after %d operations (seed %d)", done.sum(), seed)
                .isEqualTo(PERMITS);
        assertThat(semaphore.queueLength()).as("waiters left (seed %d)", seed).isZero();
        // At scale 1 the cap only guards against a slow machine; say so if it cut the run short.
        System.out.printf("%s: %,d racing operations, most holders at once %d, %,d withdrawn, "
                + "%,d grants beat a cancel, seed %d%n", kind, done.sum(), occupancy.most.get(),
                occupancy.withdrawn.sum(), occupancy.grantsThatBeatACancel.sum(), seed);
    }

    /** Counts holders in permits; a count above PERMITS means a permit was granted twice. */
    static final class Occupancy {
        final AtomicInteger inside = new AtomicInteger();
        final AtomicInteger most = new AtomicInteger();
        final LongAdder withdrawn = new LongAdder();
        /** Cancels of queued requests that the grant beat: the race the rules are about. */
        final LongAdder grantsThatBeatACancel = new LongAdder();

        void enter(int permits) {
            int now = inside.addAndGet(permits);
            most.accumulateAndGet(now, Math::max);
            if (now > PERMITS) {
                throw new AssertionError(now + " permits held at once out of " + PERMITS);
            }
        }

        void leave(int permits) {
            inside.addAndGet(-permits);
        }
    }

    /** One random operation; it ends holding nothing, whichever way its races went. */
    private record Operation(Semaphore semaphore, SplittableRandom random, Occupancy occupancy) {

        void run() {
            int permits = 1 + random.nextInt(2);
            switch (random.nextInt(8)) {
                case 0 -> blockingAcquire(permits);
                case 1 -> timedAcquire(permits);
                case 2 -> asyncAcquireThenCancel(permits);
                case 3 -> asyncAcquireWithOrTimeout(permits);
                case 4 -> permitAsyncThenCancel(permits);
                case 5 -> asyncAcquireAndWait(permits);
                case 6 -> {
                    if (semaphore.tryAcquire(permits)) {
                        hold(permits);
                    } else {
                        occupancy.withdrawn.increment();
                    }
                }
                default -> {
                    try (Permit permit = semaphore.acquirePermit(permits)) {
                        occupancy.enter(permit.permits());
                        occupancy.leave(permit.permits());
                    } catch (InterruptedException e) {
                        occupancy.withdrawn.increment();
                    }
                }
            }
        }

        private void blockingAcquire(int permits) {
            try {
                semaphore.acquire(permits);
            } catch (InterruptedException e) {
                occupancy.withdrawn.increment();
                return;
            }
            hold(permits);
        }

        private void timedAcquire(int permits) {
            try {
                if (semaphore.tryAcquire(permits, Duration.ofNanos(random.nextInt(200_000)))) {
                    hold(permits);
                    return;
                }
            } catch (InterruptedException e) {
                // withdrawn like a timeout
            }
            occupancy.withdrawn.increment();
        }

        private void asyncAcquireThenCancel(int permits) {
            CompletableFuture<Void> future = semaphore.acquireAsync(permits);
            if (grantBeatsCancel(future)) {
                // The future completes normally (its delivery may still be under way).
                future.join();
                hold(permits);
            }
        }

        private void asyncAcquireWithOrTimeout(int permits) {
            CompletableFuture<Void> future = semaphore.acquireAsync(permits)
                    .orTimeout(10 + random.nextInt(200), TimeUnit.MICROSECONDS);
            try {
                future.join();
            } catch (CompletionException e) {
                if (!(e.getCause() instanceof TimeoutException)) {
                    throw e;
                }
                occupancy.withdrawn.increment();
                return;
            }
            hold(permits);
        }

        private void permitAsyncThenCancel(int permits) {
            CompletableFuture<Permit> future = semaphore.acquirePermitAsync(permits);
            if (!grantBeatsCancel(future)) {
                return;
            }
            try (Permit permit = future.join()) {
                occupancy.enter(permit.permits());
                occupancy.leave(permit.permits());
            } catch (CancellationException e) {
                throw new AssertionError("cancel returned false but the future was cancelled", e);
            }
        }

        /**
         * Cancels a request just made, after a random pause, and books the outcome: false if the
         * cancel withdrew it, true if the grant won (then the caller holds what it asked for).
         */
        private boolean grantBeatsCancel(CompletableFuture<?> future) {
            boolean queued = !future.isDone();
            spin();
            if (future.cancel(false)) {
                occupancy.withdrawn.increment();
                return false;
            }
            if (queued) {
                occupancy.grantsThatBeatACancel.increment();
            }
            return true;
        }

        private void asyncAcquireAndWait(int permits) {
            semaphore.acquireAsync(permits).join();
            hold(permits);
        }

        private void hold(int permits) {
            occupancy.enter(permits);
            spin();
            if (random.nextInt(16) == 0) {
                Thread.yield(); // now and then a holder is descheduled and a queue builds up behind it
            }
            occupancy.leave(permits);
            semaphore.release(permits);
        }

        /** A random short pause, so that cancels and releases land at every stage of a grant. */
        private void spin() {
            for (int i = random.nextInt(64); i > 0; i--) {
                Thread.onSpinWait();
            }
        }
    }
}
