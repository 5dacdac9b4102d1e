package dev.signalbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Future;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * Every way to acquire from a {@link Semaphore}, so that each rule runs through each entry point
 * (the JDK TCK's {@code AcquireMethod}). An {@link Attempt} starts one acquisition: blocking
 * methods on a thread of their own, async methods on the caller; the test then watches it get its
 * permits or give up, and gives them back.
 */
enum AcquireMethod {

    ACQUIRE(Mode.BLOCKING, false) {
        @Override
        void run(Semaphore semaphore, int permits, Attempt attempt) throws InterruptedException {
            semaphore.acquire();
            attempt.held(semaphore::release);
        }
    },
    ACQUIRE_N(Mode.BLOCKING, true) {
        @Override
        void run(Semaphore semaphore, int permits, Attempt attempt) throws InterruptedException {
            semaphore.acquire(permits);
            attempt.held(() -> semaphore.release(permits));
        }
    },
    ACQUIRE_ASYNC(Mode.ASYNC, false) {
        @Override
        void run(Semaphore semaphore, int permits, Attempt attempt) {
            attempt.track(semaphore.acquireAsync(), granted -> semaphore::release);
        }
    },
    ACQUIRE_ASYNC_N(Mode.ASYNC, true) {
        @Override
        void run(Semaphore semaphore, int permits, Attempt attempt) {
            attempt.track(semaphore.acquireAsync(permits), granted -> () -> semaphore.release(permits));
        }
    },
    TRY_ACQUIRE_TIMEOUT(Mode.BLOCKING, false) {
        @Override
        void run(Semaphore semaphore, int permits, Attempt attempt) throws InterruptedException {
            if (semaphore.tryAcquire(LONG)) {
                attempt.held(semaphore::release);
            } else {
                attempt.timedOut();
            }
        }
    },
    TRY_ACQUIRE_N_TIMEOUT(Mode.BLOCKING, true) {
        @Override
        void run(Semaphore semaphore, int permits, Attempt attempt) throws InterruptedException {
            if (semaphore.tryAcquire(permits, LONG)) {
                attempt.held(() -> semaphore.release(permits));
            } else {
                attempt.timedOut();
            }
        }
    },
    /** {@code acquirePermit()} for one permit, {@code acquirePermit(n)} otherwise. */
    ACQUIRE_PERMIT(Mode.BLOCKING, true) {
        @Override
        void run(Semaphore semaphore, int permits, Attempt attempt) throws InterruptedException {
            Permit permit = permits == 1 ? semaphore.acquirePermit() : semaphore.acquirePermit(permits);
            attempt.held(permit::close);
        }
    },
    /** {@code acquirePermitAsync()} for one permit, {@code acquirePermitAsync(n)} otherwise. */
    ACQUIRE_PERMIT_ASYNC(Mode.ASYNC, true) {
        @Override
        void run(Semaphore semaphore, int permits, Attempt attempt) {
            attempt.track(permits == 1 ? semaphore.acquirePermitAsync() : semaphore.acquirePermitAsync(permits),
                    permit -> permit::close);
        }
    },
    /** {@code tryAcquirePermit(timeout)} for one permit, {@code tryAcquirePermit(n, timeout)} otherwise. */
    TRY_ACQUIRE_PERMIT(Mode.BLOCKING, true) {
        @Override
        void run(Semaphore semaphore, int permits, Attempt attempt) throws InterruptedException {
            Optional<Permit> permit = permits == 1
                    ? semaphore.tryAcquirePermit(LONG)
                    : semaphore.tryAcquirePermit(permits, LONG);
            if (permit.isPresent()) {
                attempt.held(permit.get()::close);
            } else {
                attempt.timedOut();
            }
        }
    },
    WITH_PERMIT(Mode.BLOCKING, false) {
        @Override
        void run(Semaphore semaphore, int permits, Attempt attempt) throws Exception {
            CompletableFuture<Void> done = new CompletableFuture<>();
            semaphore.withPermit(() -> {
                // The permit is held while the action runs: release() lets the action end and waits
                // until withPermit has given the permit back.
                attempt.held(() -> {
                    done.complete(null);
                    Await.get(attempt.finished);
                });
                // join, not get: an interrupt that lost the race to the grant must not end the action.
                return done.join();
            });
        }
    },
    WITH_PERMIT_ASYNC(Mode.ASYNC, false) {
        @Override
        void run(Semaphore semaphore, int permits, Attempt attempt) {
            CompletableFuture<Void> done = new CompletableFuture<>();
            CompletableFuture<Void> result = semaphore.withPermitAsync(() -> {
                // The permit is released when the stage completes, on the thread that completes it.
                attempt.held(() -> done.complete(null));
                return done;
            });
            attempt.track(result);
        }
    };

    /** A timeout no test reaches: a timed acquire that must behave like an untimed one. */
    static final Duration LONG = Duration.ofMinutes(5);

    enum Mode { BLOCKING, ASYNC }

    private final Mode mode;
    private final boolean weighted;

    AcquireMethod(Mode mode, boolean weighted) {
        this.mode = mode;
        this.weighted = weighted;
    }

    /** Acquires through this entry point on the current thread; records the outcome in {@code attempt}. */
    abstract void run(Semaphore semaphore, int permits, Attempt attempt) throws Exception;

    boolean isBlocking() {
        return mode == Mode.BLOCKING;
    }

    /** The entry points that take a number of permits, for {@code @MethodSource}. */
    static Stream<AcquireMethod> weighted() {
        return Arrays.stream(values()).filter(method -> method.weighted);
    }

    /** The entry points that block the calling thread, for {@code @MethodSource}. */
    static Stream<AcquireMethod> blocking() {
        return Arrays.stream(values()).filter(AcquireMethod::isBlocking);
    }

    /** Starts acquiring one permit. */
    Attempt start(Semaphore semaphore) {
        return start(semaphore, 1);
    }

    /** Starts acquiring {@code permits} permits: on a new platform thread if this method blocks. */
    Attempt start(Semaphore semaphore, int permits) {
        if (permits != 1 && !weighted) {
            throw new IllegalArgumentException(this + " acquires one permit only, got " + permits);
        }
        Attempt attempt = new Attempt(this);
        if (mode == Mode.ASYNC) {
            try {
                run(semaphore, permits, attempt);
            } catch (Exception e) {
                throw new AssertionError(this + " threw at once", e);
            }
        } else {
            attempt.thread = Thread.ofPlatform().daemon().name("attempt-" + this).start(() -> {
                try {
                    run(semaphore, permits, attempt);
                } catch (Throwable t) {
                    attempt.withdrawn.complete(t);
                } finally {
                    attempt.finished.complete(null);
                }
            });
        }
        return attempt;
    }

    /**
     * Starts acquiring {@code permits} permits and waits until the attempt is queued as the
     * semaphore's {@code position}-th waiter, not granted.
     */
    Attempt queue(Semaphore semaphore, int permits, int position) {
        Attempt attempt = start(semaphore, permits);
        Await.queueLength(semaphore, position);
        assertThat(attempt.isGranted()).as("%s granted while queued", attempt).isFalse();
        return attempt;
    }

    /**
     * Calls this entry point on the current thread, for calls that must be refused before they
     * could wait (bad arguments, an interrupted caller): every entry point, async ones included,
     * throws. If it gets permits after all, they are given back and the test fails.
     */
    void invokeExpectingFailure(Semaphore semaphore, int permits) throws Exception {
        Attempt attempt = new Attempt(this);
        attempt.finished.complete(null);
        run(semaphore, permits, attempt);
        if (attempt.isGranted()) {
            attempt.release();
        }
        throw new AssertionError(this + " with " + permits + " permits did not fail");
    }

    /**
     * Calls this entry point on the current thread, for calls that must fail without waiting
     * because of the semaphore's state (closed, wait queue full): a blocking entry point throws,
     * an async one returns a future that has already failed. Returns that failure; if the call
     * gets permits or queues instead, it is undone and the test fails.
     */
    Throwable failureWithoutWaiting(Semaphore semaphore, int permits) {
        Attempt attempt = new Attempt(this);
        attempt.finished.complete(null);
        try {
            run(semaphore, permits, attempt);
        } catch (Exception thrown) {
            if (!isBlocking()) {
                throw new AssertionError(this + " threw instead of returning a failed future", thrown);
            }
            return thrown;
        }
        Throwable failure = attempt.withdrawn.getNow(null);
        if (failure != null) {
            return failure;
        }
        if (attempt.isGranted()) {
            attempt.release();
        } else if (attempt.future != null) {
            attempt.future.cancel(false);
        }
        throw new AssertionError(this + " with " + permits + " permits did not fail at once: " + attempt);
    }

    /** One acquisition through one entry point, and what became of it. */
    static final class Attempt {

        final AcquireMethod method;
        /** Completes when the attempt holds its permits. */
        final CompletableFuture<Void> granted = new CompletableFuture<>();
        /**
         * Completes when the attempt ended without permits: with the exception that ended it
         * (InterruptedException, CancellationException, TimeoutException), or null for a timed
         * try that returned false.
         */
        final CompletableFuture<Throwable> withdrawn = new CompletableFuture<>();
        /** Completes when a blocking attempt's thread has returned from the semaphore. */
        final CompletableFuture<Void> finished = new CompletableFuture<>();
        private volatile Thread thread;
        private volatile Future<?> future;
        private volatile Runnable releaser;

        private Attempt(AcquireMethod method) {
            this.method = method;
        }

        void held(Runnable releaser) {
            this.releaser = releaser;
            granted.complete(null);
        }

        void timedOut() {
            withdrawn.complete(null);
        }

        <T> void track(CompletableFuture<T> acquisition, Function<T, Runnable> releaserOf) {
            future = acquisition;
            acquisition.whenComplete((value, failure) -> {
                if (failure == null) {
                    held(releaserOf.apply(value));
                } else {
                    withdrawn.complete(unwrap(failure));
                }
            });
        }

        /** For withPermitAsync: the action reports the grant itself; only a failure is tracked. */
        void track(CompletableFuture<?> result) {
            future = result;
            result.whenComplete((value, failure) -> {
                if (failure != null && !granted.isDone()) {
                    withdrawn.complete(unwrap(failure));
                }
            });
        }

        /**
         * Gives up: cancels the future of an async attempt, interrupts the thread of a blocking one.
         *
         * @return what {@code cancel} returned, or true for an interrupt
         */
        boolean giveUp() {
            if (thread != null) {
                thread.interrupt();
                return true;
            }
            return future.cancel(false);
        }

        boolean isGranted() {
            return granted.isDone();
        }

        /** Waits for the grant; fails the test if it does not come. */
        Attempt awaitGranted() {
            Await.get(granted);
            return this;
        }

        /** Waits until the attempt has ended without permits, and returns why. */
        Throwable awaitWithdrawn() {
            Throwable why = Await.get(withdrawn);
            if (thread != null) {
                Await.get(finished);
            }
            return why;
        }

        /** Gives back the permits this attempt holds, and returns when they are back. */
        void release() {
            awaitGranted();
            releaser.run();
        }

        @Override
        public String toString() {
            return method + (isGranted() ? "[granted]" : withdrawn.isDone() ? "[withdrawn]" : "[waiting]");
        }

        private static Throwable unwrap(Throwable failure) {
            return failure instanceof CompletionException && failure.getCause() != null
                    && !(failure instanceof CancellationException) ? failure.getCause() : failure;
        }
    }
}
