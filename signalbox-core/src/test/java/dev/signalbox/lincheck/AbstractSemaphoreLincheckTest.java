package dev.signalbox.lincheck;

import java.lang.reflect.Method;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import dev.signalbox.Semaphore;

import org.jetbrains.lincheck.datastructures.IntGen;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.jetbrains.lincheck.datastructures.StressOptions;
import org.jetbrains.lincheck.datastructures.ThreadIdGen;
import org.jetbrains.lincheck.datastructures.Validate;
import org.jetbrains.kotlinx.lincheck.Actor;
import org.jetbrains.kotlinx.lincheck.execution.ExecutionScenario;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Linearizability of the semaphore under every interleaving Lincheck's model checker explores, and
 * under stress: one {@link Operation} per public operation, checked against the same class run
 * sequentially. Subclasses (one line each) choose the semaphore.
 * {@link AbstractOperatingLincheckTest} beside it adds pause, resume and resize.
 *
 * <p>Cancellation is two operations so that a pending waiter is visible between them (to
 * {@code queueLength}, to a {@code tryAcquire} it blocks, to a {@code release} that may grant it):
 * {@link #acquireAsync} queues a request and keeps its future on the calling thread's stack;
 * {@link #cancelNewest} cancels the newest one and reports whether the grant had won (then the
 * thread holds those permits). Each thread touches only its own stack and holdings, so the
 * sequential replay in linearization order sees the same futures; {@link ThreadIdGen} numbers the
 * threads. {@link #release} gives back a held permit if the thread has one, else releases one it
 * never took: legal for {@code Semaphore}, and for a {@code BoundedSemaphore} sometimes the
 * "released too many times" exception, which is then a result like any other.
 */
@Tag("lincheck")
@Timeout(120)
public abstract class AbstractSemaphoreLincheckTest {

    /**
     * Three threads: two acquirers racing a releaser is the smallest shape in which a grant, a
     * cancel and a second acquirer's no-barging check meet; a fourth only multiplies interleavings.
     */
    private static final int THREADS = 3;
    /**
     * Three operations per thread: enough for acquireAsync, then something else, then
     * cancelNewest, so that a cancel races with another thread's release of the same permit.
     */
    private static final int ACTORS_PER_THREAD = 3;
    /** ThreadIdGen numbers the initial part 0 and the final part THREADS + 1. */
    private static final int PARTS = THREADS + 2;

    private final Semaphore semaphore = newSemaphore();
    private final int initialPermits = semaphore.availablePermits();
    private final int[] held = new int[PARTS];
    private final List<Deque<Request>> pending = new ArrayList<>();
    /** Releases of permits the releasing thread did not hold; for the permit balance in {@link #permitsBalance}. */
    private final AtomicInteger unheldReleases = new AtomicInteger();

    private record Request(CompletableFuture<Void> future, int permits) {}

    protected AbstractSemaphoreLincheckTest() {
        for (int i = 0; i < PARTS; i++) {
            pending.add(new ArrayDeque<>());
        }
    }

    /** The semaphore under test, fresh for every invocation. */
    protected abstract Semaphore newSemaphore();

    @Operation
    public boolean tryAcquire(@Param(gen = ThreadIdGen.class) int thread,
            @Param(gen = IntGen.class, conf = "1:2") int permits) {
        boolean acquired = semaphore.tryAcquire(permits);
        if (acquired) {
            held[thread] += permits;
        }
        return acquired;
    }

    @Operation
    public void acquireAsync(@Param(gen = ThreadIdGen.class) int thread,
            @Param(gen = IntGen.class, conf = "1:2") int permits) {
        pending.get(thread).push(new Request(semaphore.acquireAsync(permits), permits));
    }

    /**
     * Cancels this thread's newest request.
     *
     * @return null if it has none, true if the cancel withdrew it, false if the grant had won
     *     (the thread then holds its permits, and the future must have completed normally)
     */
    @Operation
    public Boolean cancelNewest(@Param(gen = ThreadIdGen.class) int thread) {
        Request request = pending.get(thread).poll();
        if (request == null) {
            return null;
        }
        boolean withdrawn = request.future().cancel(false);
        if (!withdrawn) {
            if (request.future().isCancelled()) {
                throw new AssertionError("cancel returned false but the future is cancelled");
            }
            held[thread] += request.permits();
        }
        return withdrawn;
    }

    @Operation
    public void release(@Param(gen = ThreadIdGen.class) int thread) {
        semaphore.release();
        if (held[thread] > 0) {
            held[thread]--;
        } else {
            unheldReleases.incrementAndGet();
        }
    }

    @Operation
    public int availablePermits() {
        return semaphore.availablePermits();
    }

    @Operation
    public int queueLength() {
        return semaphore.queueLength();
    }

    @Operation
    public boolean locked() {
        return semaphore.locked();
    }

    /**
     * After every invocation: every permit is somewhere, exactly once. Free, held by a thread, or
     * granted to a request nobody cancelled; none lost to a cancel that lost its race, none
     * granted twice.
     */
    @Validate
    public void permitsBalance() {
        int granted = 0;
        int waiting = 0;
        for (Deque<Request> requests : pending) {
            for (Request request : requests) {
                if (request.future().isDone()) {
                    if (request.future().isCompletedExceptionally()) {
                        throw new AssertionError("an uncancelled request failed: " + request.future());
                    }
                    granted += request.permits();
                } else {
                    waiting++;
                }
            }
        }
        int holding = 0;
        for (int h : held) {
            holding += h;
        }
        int expected = initialPermits + unheldReleases.get();
        int accounted = semaphore.availablePermits() + holding + granted;
        if (accounted != expected || semaphore.queueLength() != waiting) {
            throw new AssertionError("permits: " + semaphore.availablePermits() + " free + " + holding + " held + "
                    + granted + " granted != " + expected + ", or waiters " + semaphore.queueLength() + " != "
                    + waiting + ": " + semaphore);
        }
    }

    /**
     * The race Lincheck found in the core (fixed): with a waiter for 2 behind a holder of 1, a
     * release granting it raced queueLength and availablePermits, which could see the waiter gone
     * but its permits still free. Random scenarios reach this shape rarely, so it is always run.
     */
    private ExecutionScenario grantSeenHalfDone() {
        return new ExecutionScenario(
                List.of(actor("acquireAsync", 0, 1), actor("acquireAsync", 0, 2)),
                List.of(List.of(actor("queueLength")), List.of(actor("release", 2)),
                        List.of(actor("availablePermits"))),
                List.of(),
                null);
    }

    private Actor actor(String operation, Object... arguments) {
        for (Method method : AbstractSemaphoreLincheckTest.class.getMethods()) {
            if (method.getName().equals(operation) && method.getParameterCount() == arguments.length) {
                return new Actor(method, List.of(arguments));
            }
        }
        throw new IllegalArgumentException("no operation " + operation + " with " + arguments.length + " arguments");
    }

    @Test
    void modelChecking() {
        // 8 random scenarios x 600 interleavings, plus the one that found a bug: about 6 s per
        // configuration on an idle 2-core machine and 12 s on a busy one, so the four
        // configurations, stress included, stay within about a minute.
        new ModelCheckingOptions()
                .threads(THREADS)
                .actorsPerThread(ACTORS_PER_THREAD)
                .actorsBefore(2)
                .actorsAfter(2)
                .iterations(8)
                .invocationsPerIteration(600)
                .addCustomScenario(grantSeenHalfDone())
                .check(getClass());
    }

    @Test
    void stress() {
        // Real threads on real cores, catching what the model checker's memory model cannot:
        // 15 scenarios x 2,000 runs, about 3 s per configuration.
        new StressOptions()
                .threads(THREADS)
                .actorsPerThread(ACTORS_PER_THREAD)
                .actorsBefore(2)
                .actorsAfter(2)
                .iterations(15)
                .invocationsPerIteration(2_000)
                .check(getClass());
    }
}
