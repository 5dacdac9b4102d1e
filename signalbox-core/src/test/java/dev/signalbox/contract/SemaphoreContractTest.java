package dev.signalbox.contract;

import dev.signalbox.PermitSource;
import dev.signalbox.Semaphore;

/** The in-process {@link Semaphore} keeps every {@link PermitSource} rule. */
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
