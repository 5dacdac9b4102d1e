package dev.signalbox.lincheck;

import dev.signalbox.BoundedSemaphore;
import dev.signalbox.Semaphore;

/** BoundedSemaphore.of(1): one permit: every release by a thread that holds nothing is an over-release unless another thread holds the permit, so the bound check races acquisition. */
public class BoundedSemaphoreOfOneLincheckTest extends AbstractSemaphoreLincheckTest {
    @Override protected Semaphore newSemaphore() { return BoundedSemaphore.of(1); }
}
