package dev.signalbox.internal.file;

import java.util.concurrent.CompletableFuture;

import dev.signalbox.Permit;
import dev.signalbox.internal.future.WithdrawableFuture;

/**
 * One request for slots of a {@link FileSemaphore}, and the future its caller waits on. Cancelling
 * it, or completing it exceptionally (as {@code orTimeout} does), withdraws the request unless the
 * grant came first; then {@code cancel} returns false and the future completes with the permit.
 */
final class FileAcquisition extends WithdrawableFuture<Permit> {

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
    protected boolean withdraw(Throwable reason) {
        return semaphore.withdraw(this);
    }

    /** Completes with the granted permit (or {@code null}: a try that found the slots busy). */
    void deliver(Permit permit) {
        completeGranted(permit);
    }

    /** Completes with a failure of the mechanism itself (I/O, or the semaphore was closed). */
    void fail(Throwable failure) {
        completeFailed(failure);
    }
}
