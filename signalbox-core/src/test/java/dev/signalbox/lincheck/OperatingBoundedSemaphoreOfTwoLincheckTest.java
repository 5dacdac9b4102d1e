package dev.signalbox.lincheck;

import dev.signalbox.BoundedSemaphore;

/** BoundedSemaphore.of(2): two permits, so that resizing to 1 takes a permit away and resizing to 3 adds one, while a request for 2 fits, fails or waits depending on the interleaving. */
public class OperatingBoundedSemaphoreOfTwoLincheckTest extends AbstractOperatingLincheckTest {
    @Override protected BoundedSemaphore newSemaphore() { return BoundedSemaphore.of(2); }
}
