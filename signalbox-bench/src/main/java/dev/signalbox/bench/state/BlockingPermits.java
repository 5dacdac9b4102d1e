package dev.signalbox.bench.state;

/** A contender as a (platform or virtual) thread sees it: {@code acquire} blocks until granted. */
public interface BlockingPermits {

    /** Blocks until {@code permits} permits are granted. */
    void acquire(int permits) throws InterruptedException;

    /** Returns {@code permits} permits. */
    void release(int permits);
}
