package dev.signalbox.linearizability;

import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;

import dev.signalbox.BoundedSemaphore;

import org.jetbrains.lincheck.datastructures.IntGen;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.jetbrains.lincheck.datastructures.StressOptions;
import org.junit.jupiter.api.Test;

/**
 * Linearizability of the operating calls together with acquiring, cancelling and releasing: a
 * {@link BoundedSemaphore} of 2 whose maximum moves between 1 and 3 and which is paused and
 * resumed while async acquires queue, are cancelled and are granted. Lincheck runs the same
 * operations once under model checking (every interleaving of a bounded number of context
 * switches) and once under stress, and compares every result with some sequential order.
 *
 * <p>Public, as Lincheck instantiates it reflectively; in a package of its own, outside the
 * module's exported API.
 *
 * <p>Each operation returns what a caller could observe, so a lost or double grant shows up as
 * a result no sequential history explains: a cancel that withdrew a request already
 * granted, an available count off by one, a try that failed with free permits and nobody waiting.
 */
public abstract class OperatingLincheckBase {

    private final BoundedSemaphore semaphore;
    /** Async acquires left by {@link #acquireAsync(int)}, newest last; guarded by itself. */
    private final ArrayDeque<CompletableFuture<Void>> pending = new ArrayDeque<>();

    /** Each configuration is a one-line subclass that passes the semaphore of 2 to check. */
    protected OperatingLincheckBase(BoundedSemaphore semaphore) {
        this.semaphore = semaphore;
    }

    @Operation
    public boolean tryAcquire() {
        return semaphore.tryAcquire();
    }

    /**
     * Queues, or is granted at once; the future stays for {@link #cancelNewest()}. Whether it was
     * granted is not returned: a release racing this call may complete it before it returns, so
     * the later counts tell it instead. The monitor on {@code pending} only keeps "newest" meaning
     * the same in the sequential replay: it orders acquires and cancels among themselves, while
     * releases, pauses and resizes race both freely.
     */
    @Operation
    public String acquireAsync(@Param(gen = IntGen.class, conf = "1:2") int permits) {
        synchronized (pending) {
            try {
                pending.addLast(semaphore.acquireAsync(permits));
                return "asked";
            } catch (IllegalArgumentException aboveTheMaximum) {
                return "refused";
            }
        }
    }

    /** Cancels the newest queued acquire: true if it was withdrawn, false if it had been granted or failed. */
    @Operation
    public boolean cancelNewest() {
        synchronized (pending) {
            CompletableFuture<Void> future = pending.pollLast();
            return future != null && future.cancel(false);
        }
    }

    @Operation
    public String release() {
        try {
            semaphore.release();
            return "released";
        } catch (IllegalStateException releasedTooManyTimes) {
            return "refused";
        }
    }

    @Operation
    public void pause() {
        semaphore.pause();
    }

    @Operation
    public void resume() {
        semaphore.resume();
    }

    @Operation
    public void setMaxPermits(@Param(gen = IntGen.class, conf = "1:3") int max) {
        semaphore.setMaxPermits(max);
    }

    @Operation
    public int availablePermits() {
        return semaphore.availablePermits();
    }

    @Operation
    public int queueLength() {
        return semaphore.queueLength();
    }

    // Three threads of three operations each, after a prefix of two: enough for a pause, a resize and
    // a cancel to race one grant, yet small enough for model checking to cover the switch points in
    // a few seconds. 30 × 400 for model checking (about 10 s here; it found each of the races the
    // queue had) and 20 × 1,000 for stress (about 4 s).

    @Test
    void modelChecking() {
        new ModelCheckingOptions()
                .threads(3)
                .actorsPerThread(3)
                .actorsBefore(2)
                .actorsAfter(1)
                .iterations(30)
                .invocationsPerIteration(400)
                .check(getClass());
    }

    @Test
    void stress() {
        new StressOptions()
                .threads(3)
                .actorsPerThread(3)
                .actorsBefore(2)
                .actorsAfter(1)
                .iterations(20)
                .invocationsPerIteration(1_000)
                .check(getClass());
    }
}
