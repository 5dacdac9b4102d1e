package dev.signalbox.lincheck;

import dev.signalbox.BoundedSemaphore;
import dev.signalbox.Semaphore;

/** BoundedSemaphore.of(2): two permits: weighted head-of-line blocking as for Semaphore, and releases that are legal or over the bound depending on the interleaving; a request for 2 is the largest the bound allows. */
public class BoundedSemaphoreOfTwoLincheckTest extends AbstractSemaphoreLincheckTest {
    @Override protected Semaphore newSemaphore() { return BoundedSemaphore.of(2); }
}
