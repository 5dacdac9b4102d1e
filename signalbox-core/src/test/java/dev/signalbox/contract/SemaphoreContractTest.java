package dev.signalbox.contract;

import dev.signalbox.PermitSource;
import dev.signalbox.Semaphore;

/**
 * The in-process {@link Semaphore} keeps every {@link PermitSource} rule of the backend contract;
 * its own rules, entry point by entry point, are in {@code dev.signalbox.SemaphoreTest}.
 */
class SemaphoreContractTest extends PermitSourceContract {

    @Override
    protected PermitSource create(int permits) {
        return Semaphore.of(permits);
    }

    /** A plain semaphore may be released above its initial count, so a larger request just waits. */
    @Override
    protected boolean refusesRequestsAboveItsPermits() {
        return false;
    }
}
