package dev.signalbox.contract;

import dev.signalbox.BoundedSemaphore;
import dev.signalbox.PermitSource;

/**
 * The in-process {@link BoundedSemaphore} keeps every {@link PermitSource} rule of the backend
 * contract; its own rules, entry point by entry point, are in
 * {@code dev.signalbox.BoundedSemaphoreTest}.
 */
class BoundedSemaphoreContractTest extends PermitSourceContract {

    @Override
    protected PermitSource create(int permits) {
        return BoundedSemaphore.of(permits);
    }
}
