package dev.signalbox.lincheck;

import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;

import dev.signalbox.BoundedSemaphore;

import org.jetbrains.lincheck.datastructures.IntGen;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.jetbrains.lincheck.datastructures.StressOptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Linearizability of the operating calls (pause, resume, resize) together with acquiring,
 * cancelling and releasing, under every interleaving Lincheck's model checker explores and under
 * stress: one {@link Operation} per public operation, checked against the same class run
 * sequentially. Subclasses (one line each) choose the {@link BoundedSemaphore}, whose maximum
 * moves between 1 and 3 while async acquires queue, are cancelled and are granted.
 * {@link AbstractSemaphoreLincheckTest} beside it checks the acquire and release operations alone.
 *
 * <p>Each operation returns what a caller could observe, so a lost or double grant shows up as
 * a result no sequential history explains: a cancel that withdrew a request already
 * granted, an available count off by one, a try that failed with free permits and nobody waiting.
 */
@Tag("lincheck")
@Timeout(120)
public abstract class AbstractOperatingLincheckTest {

    /**
     * Three threads: enough for a pause, a resize and a cancel to race one grant; a fourth only
     * multiplies interleavings.
     */
    private static final int THREADS = 3;
    /** Three operations per thread, after a prefix of two and before a suffix of one. */
    private static final int ACTORS_PER_THREAD = 3;
    private static final int ACTORS_BEFORE = 2;
    private static final int ACTORS_AFTER = 1;

    private final BoundedSemaphore semaphore = newSemaphore();
    /** Async acquires left by {@link #acquireAsync(int)}, newest last; guarded by itself. */
    private final ArrayDeque<CompletableFuture<Void>> pending = new ArrayDeque<>();

    /** The semaphore under test, fresh for every invocation. */
    protected abstract BoundedSemaphore newSemaphore();

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

    @Test
    void modelChecking() {
        // 30 random scenarios x 400 interleavings: it found each of the races the queue had; about
        // 10 s per configuration on an idle 2-core machine.
        new ModelCheckingOptions()
                .threads(THREADS)
                .actorsPerThread(ACTORS_PER_THREAD)
                .actorsBefore(ACTORS_BEFORE)
                .actorsAfter(ACTORS_AFTER)
                .iterations(30)
                .invocationsPerIteration(400)
                .check(getClass());
    }

    @Test
    void stress() {
        // Real threads on real cores, catching what the model checker's memory model cannot:
        // 20 scenarios x 1,000 runs, about 4 s per configuration.
        new StressOptions()
                .threads(THREADS)
                .actorsPerThread(ACTORS_PER_THREAD)
                .actorsBefore(ACTORS_BEFORE)
                .actorsAfter(ACTORS_AFTER)
                .iterations(20)
                .invocationsPerIteration(1_000)
                .check(getClass());
    }
}
