package dev.signalbox;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * Anything that hands out permits as {@link Permit} handles: the in-process {@link Semaphore},
 * and the machine-wide and Redis semaphores. Code written against this interface moves from one
 * to another by changing only the factory.
 *
 * <p>Every implementation keeps the same rules: waiters are served first-in first-out (where the
 * backend documents otherwise, it says so); a waiter that gives up, by cancellation, timeout or
 * interrupt, leaves no trace, and permits that were to be assigned to it go to the next waiter;
 * a {@code Permit} releases exactly once; bad arguments fail at once with an exception that names
 * them.
 */
public interface PermitSource {

    /**
     * Acquires one permit, waiting as long as it takes.
     *
     * @return the permit; close it to release
     * @throws InterruptedException if the thread is interrupted while waiting; no permit is held
     */
    default Permit acquirePermit() throws InterruptedException {
        return acquirePermit(1);
    }

    /**
     * Acquires {@code permits} permits at once, waiting as long as it takes.
     *
     * @param permits how many permits; positive
     * @return the permit; close it to release
     * @throws IllegalArgumentException if {@code permits} is not positive, or more than this
     *     source could ever grant
     * @throws InterruptedException if the thread is interrupted while waiting; no permit is held
     */
    Permit acquirePermit(int permits) throws InterruptedException;

    /**
     * Acquires {@code permits} permits if they can be granted within {@code timeout}.
     *
     * @param permits how many permits; positive
     * @param timeout how long to wait at most
     * @return the permit, or empty if the timeout elapsed first (nothing is held then)
     * @throws IllegalArgumentException if {@code permits} is not positive, or more than this
     *     source could ever grant
     * @throws NullPointerException if {@code timeout} is null
     * @throws InterruptedException if the thread is interrupted while waiting; no permit is held
     */
    Optional<Permit> tryAcquirePermit(int permits, Duration timeout) throws InterruptedException;

    /**
     * Acquires one permit if it can be granted within {@code timeout}; see {@link #tryAcquirePermit(int, Duration)}.
     *
     * @param timeout how long to wait at most
     * @return the permit, or empty if the timeout elapsed first (nothing is held then)
     * @throws NullPointerException if {@code timeout} is null
     * @throws InterruptedException if the thread is interrupted while waiting; no permit is held
     */
    default Optional<Permit> tryAcquirePermit(Duration timeout) throws InterruptedException {
        return tryAcquirePermit(1, timeout);
    }

    /**
     * Returns a future that completes with one permit when it is granted. Cancelling the future
     * (or completing it exceptionally, e.g. by {@code orTimeout}) before the grant withdraws the
     * request; if the grant wins the race, {@code cancel} returns false and the future completes
     * with the permit.
     *
     * @return a future of the permit
     */
    default CompletableFuture<Permit> acquirePermitAsync() {
        return acquirePermitAsync(1);
    }

    /**
     * Returns a future that completes with {@code permits} permits when they are granted;
     * cancellation as in {@link #acquirePermitAsync()}.
     *
     * @param permits how many permits; positive
     * @return a future of the permit
     * @throws IllegalArgumentException if {@code permits} is not positive, or more than this
     *     source could ever grant
     */
    CompletableFuture<Permit> acquirePermitAsync(int permits);

    /**
     * Runs {@code action} while holding one permit, and releases it however the action ends.
     *
     * @param <T> what the action returns
     * @param action what to run; not null
     * @return what the action returned
     * @throws Exception what the action threw, or {@link InterruptedException} if interrupted
     *     while waiting for the permit (then the action did not run)
     */
    @SuppressWarnings("try") // the handle exists only to be closed
    default <T> T withPermit(Callable<T> action) throws Exception {
        java.util.Objects.requireNonNull(action, "action");
        try (Permit ignored = acquirePermit()) {
            return action.call();
        }
    }

    /**
     * Starts {@code action} once one permit is granted, and releases the permit when the stage it
     * returns completes, however it completes. Cancelling the returned future while it still
     * waits for the permit withdraws the request; the action then never runs.
     *
     * @param <T> what the action's stage completes with
     * @param action starts the work and returns its stage; not null, and must not return null
     * @return a future of the action's result
     */
    default <T> CompletableFuture<T> withPermitAsync(Supplier<? extends CompletionStage<T>> action) {
        java.util.Objects.requireNonNull(action, "action");
        CompletableFuture<Permit> acquisition = acquirePermitAsync();
        CompletableFuture<T> result = new CompletableFuture<>();
        // A caller who gives up on the result gives up on the queued request too.
        result.whenComplete((value, failure) -> {
            if (result.isCancelled()) {
                acquisition.cancel(false);
            }
        });
        acquisition.whenComplete((permit, failure) -> {
            if (failure != null) {
                result.completeExceptionally(failure);
                return;
            }
            if (result.isDone()) { // cancelled after the grant won the race: never start the action
                permit.close();
                return;
            }
            CompletionStage<T> stage;
            try {
                stage = java.util.Objects.requireNonNull(action.get(), "action returned a null stage");
            } catch (Throwable t) {
                permit.close();
                result.completeExceptionally(t);
                return;
            }
            stage.whenComplete((value, error) -> {
                permit.close();
                if (error != null) {
                    result.completeExceptionally(error);
                } else {
                    result.complete(value);
                }
            });
        });
        return result;
    }
}
