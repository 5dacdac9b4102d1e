package dev.signalbox.lincheck;

import dev.signalbox.Semaphore;

/** Semaphore.of(2): the smallest count where a waiter for 2 at the head holds back a request for 1 while a permit is free, and where one release grants two waiters. */
public class SemaphoreOfTwoLincheckTest extends AbstractSemaphoreLincheckTest {
    @Override protected Semaphore newSemaphore() { return Semaphore.of(2); }
}
