package dev.signalbox.linearizability;

import dev.signalbox.BoundedSemaphore;
import dev.signalbox.Semaphore;

import org.junit.jupiter.api.Tag;

/**
 * {@link OperatingLincheckBase} on a semaphore that counts totals and tracks holders: observing
 * must not change a single result.
 */
@Tag("lincheck")
public class ObservedOperatingLincheckTest extends OperatingLincheckBase {

    public ObservedOperatingLincheckTest() {
        super(Semaphore.builder(2).name("observed").recordTotals(true).trackHolders(true).buildBounded());
    }
}
