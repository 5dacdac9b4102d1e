package dev.signalbox.internal.file;

import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import dev.signalbox.Permit;

/**
 * One request for slots of a {@link FileSemaphore}, and the future its caller waits on. Cancelling
 * it, or completing it exceptionally (as {@code orTimeout} does), withdraws the request unless the
 * grant came first; then {@code cancel} returns false and the future completes with the permit.
 */
final class FileAcquisition extends CompletableFuture<Permit> {

    /** Queued in the process's gate (the in-process FIFO queue). */
    static final int QUEUED = 0;
    /** Waiting in the kernel for the door lock, on the door thread. */
    static final int AT_DOOR = 1;
    /** Holding the door, collecting slots. */
    static final int COLLECTING = 2;
    /** Owns its slots: can no longer be withdrawn. */
    static final int GRANTED = 3;
    /** Withdrawn or failed. */
    static final int ENDED = 4;

    final FileSemaphore semaphore;
    final int permits;
    /** Completed on the door thread when true: only the blocking caller waits on it. */
    final boolean deliverInline;
    final String holderCommand;
    /** One of the states above; guarded by the semaphore's lock. */
    int state = QUEUED;
    /** The pass through the gate, once requested; set before anyone can withdraw. */
    volatile CompletableFuture<Permit> gatePass;

    FileAcquisition(FileSemaphore semaphore, int permits, boolean deliverInline, String holderCommand) {
        this.semaphore = semaphore;
        this.permits = permits;
        this.deliverInline = deliverInline;
        this.holderCommand = holderCommand;
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
        return semaphore.withdraw(this) ? super.cancel(mayInterruptIfRunning) : isCancelled();
    }

    @Override
    public boolean completeExceptionally(Throwable ex) {
        Objects.requireNonNull(ex, "ex");
        return semaphore.withdraw(this) && super.completeExceptionally(ex);
    }

    /** Completes with the granted permit (or {@code null}: a try that found the slots busy). */
    void deliver(Permit permit) {
        super.complete(permit);
    }

    /** Completes with a failure of the mechanism itself (I/O, or the semaphore was closed). */
    void fail(Throwable failure) {
        super.completeExceptionally(failure);
    }

    @Override
    public boolean complete(Permit value) {
        throw refused();
    }

    @Override
    public CompletableFuture<Permit> completeAsync(Supplier<? extends Permit> supplier, Executor executor) {
        throw refused();
    }

    @Override
    public CompletableFuture<Permit> completeAsync(Supplier<? extends Permit> supplier) {
        throw refused();
    }

    @Override
    public CompletableFuture<Permit> completeOnTimeout(Permit value, long timeout, TimeUnit unit) {
        throw refused();
    }

    @Override
    public void obtrudeValue(Permit value) {
        throw refused();
    }

    @Override
    public void obtrudeException(Throwable ex) {
        throw refused();
    }

    private static UnsupportedOperationException refused() {
        return new UnsupportedOperationException(
                "a pending acquire completes only when its permits are granted; cancel it instead");
    }
}
