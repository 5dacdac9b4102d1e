package dev.signalbox.lincheck;

import dev.signalbox.BoundedSemaphore;
import dev.signalbox.Semaphore;

/** A BoundedSemaphore of 2, for the reasons {@link OperatingBoundedSemaphoreOfTwoLincheckTest} gives, with totals and holder tracking on: observing must not change a single result. */
public class OperatingObservedBoundedSemaphoreOfTwoLincheckTest extends AbstractOperatingLincheckTest {
    @Override protected BoundedSemaphore newSemaphore() { return Semaphore.builder(2).name("observed").recordTotals(true).trackHolders(true).buildBounded(); }
}
