package dev.signalbox.lincheck;

import dev.signalbox.Semaphore;

/** Semaphore.of(1): the smallest semaphore: every acquire beyond the first waits, so every release races a grant against a cancel. */
public class SemaphoreOfOneLincheckTest extends AbstractSemaphoreLincheckTest {
    @Override protected Semaphore newSemaphore() { return Semaphore.of(1); }
}
