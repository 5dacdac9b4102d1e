package dev.signalbox.bench.state;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

import kotlin.Result;
import kotlin.Unit;
import kotlin.coroutines.Continuation;
import kotlin.coroutines.CoroutineContext;
import kotlin.coroutines.EmptyCoroutineContext;
import kotlin.coroutines.intrinsics.IntrinsicsKt;
import kotlin.jvm.functions.Function2;
import kotlinx.coroutines.CoroutineScope;
import kotlinx.coroutines.CoroutineStart;
import kotlinx.coroutines.Dispatchers;
import kotlinx.coroutines.GlobalScope;
import kotlinx.coroutines.future.FutureKt;
import kotlinx.coroutines.sync.Semaphore;
import kotlinx.coroutines.sync.SemaphoreKt;

/**
 * kotlinx-coroutines' {@code Semaphore} from Java, without Kotlin sources.
 *
 * <p>{@link #acquire} is what a Java caller of a suspending API writes: {@code future {}} on the
 * unconfined dispatcher, started undispatched, whose body is the suspending {@code acquire}
 * itself. The body is a plain {@link Function2} that passes its continuation straight to
 * {@code acquire} (a tail call), so the coroutine completes exactly when the permit is granted, in
 * the releasing thread, as our futures do; cancelling the future cancels the coroutine, which
 * withdraws it from the semaphore's queue.
 *
 * <p>{@link #acquireThenRunAsync} is a coroutine's worker without {@code future {}}: a continuation
 * passed to the suspending {@code acquire}, resumed by the grant, which then dispatches its next
 * step to the executor, as a coroutine on that dispatcher does. {@link #acquireSuspending} is the
 * raw suspending call for the uncontended fast path, where kotlinx never suspends.
 */
public final class KotlinxPermits implements AsyncPermits {

    /** What {@code future {}} returns for an immediate grant is a fresh future; this one is shared. */
    private static final CompletableFuture<Unit> GRANTED = CompletableFuture.completedFuture(Unit.INSTANCE);

    private final Semaphore semaphore;
    private final Function2<CoroutineScope, Continuation<? super Unit>, Object> acquireBody;

    KotlinxPermits(int permits) {
        // kotlinx refuses a semaphore of 0 permits; one of 1 with 1 already acquired is the same.
        this.semaphore = permits == 0 ? SemaphoreKt.Semaphore(1, 1) : SemaphoreKt.Semaphore(permits, 0);
        this.acquireBody = (scope, continuation) -> semaphore.acquire(continuation);
    }

    /** The kotlinx semaphore itself. */
    public Semaphore semaphore() {
        return semaphore;
    }

    /**
     * A future of one permit.
     *
     * @throws UnsupportedOperationException if {@code permits} is not 1: kotlinx has no weighted acquire
     */
    @Override
    public CompletableFuture<?> acquire(int permits) {
        requireOne(permits);
        // The fast path first, as a Kotlin caller's `acquire()` would take it without a coroutine.
        if (semaphore.tryAcquire()) {
            return GRANTED;
        }
        return FutureKt.future(GlobalScope.INSTANCE, Dispatchers.getUnconfined(), CoroutineStart.UNDISPATCHED,
                acquireBody);
    }

    @Override
    public void release(int permits) {
        requireOne(permits);
        semaphore.release();
    }

    /**
     * Suspends in {@code acquire} with a bare continuation (the state of a coroutine at that point)
     * and, when resumed with the permit, dispatches {@code step} to {@code executor}.
     *
     * @throws UnsupportedOperationException if {@code permits} is not 1
     */
    @Override
    public void acquireThenRunAsync(Runnable step, Executor executor) {
        Continuation<Unit> worker = new Continuation<>() {
            @Override
            public CoroutineContext getContext() {
                return EmptyCoroutineContext.INSTANCE;
            }

            @Override
            public void resumeWith(Object result) {
                if (result instanceof Result.Failure failure) {
                    throw new IllegalStateException("a kotlinx acquire failed", failure.exception);
                }
                executor.execute(step);
            }
        };
        if (semaphore.acquire(worker) != IntrinsicsKt.getCOROUTINE_SUSPENDED()) {
            executor.execute(step);
        }
    }

    /**
     * Calls the suspending {@code acquire} directly; true if it took the permit without suspending.
     * If it had to suspend, the permit arrives later through a continuation that drops it on the floor,
     * so use this only where nobody else holds the semaphore.
     */
    public boolean acquireSuspending() {
        return semaphore.acquire(NEVER_RESUMED) != IntrinsicsKt.getCOROUTINE_SUSPENDED();
    }

    private static void requireOne(int permits) {
        if (permits != 1) {
            throw new UnsupportedOperationException("kotlinx Semaphore acquires one permit at a time, got " + permits);
        }
    }

    /** The continuation of an acquire that must not suspend; reused, as it is never resumed. */
    private static final Continuation<Unit> NEVER_RESUMED = new Continuation<>() {
        @Override
        public CoroutineContext getContext() {
            return EmptyCoroutineContext.INSTANCE;
        }

        @Override
        public void resumeWith(Object result) {
            throw new IllegalStateException("an uncontended kotlinx acquire suspended: " + result);
        }
    };
}
