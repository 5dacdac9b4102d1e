package dev.signalbox.contract;

import dev.signalbox.BoundedSemaphore;
import dev.signalbox.PermitSource;

/** The in-process {@link BoundedSemaphore} keeps every {@link PermitSource} rule. */
class BoundedSemaphoreContractTest extends PermitSourceContract {

    @Override
    protected PermitSource create(int permits) {
        return BoundedSemaphore.of(permits);
    }
}
