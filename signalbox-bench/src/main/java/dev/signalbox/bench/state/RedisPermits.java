package dev.signalbox.bench.state;

/**
 * One client's view of a semaphore on Redis, as a thread sees it: {@code acquire} blocks until
 * one permit is granted and returns the handle {@code release} gives back (a permit object or a
 * permit id, depending on the contender; {@code null} where permits are anonymous).
 */
public interface RedisPermits {

    /** Blocks until one permit is granted; returns what {@link #release} needs. */
    Object acquire() throws InterruptedException;

    /** Returns the permit {@code handle} stands for, and waits until Redis has confirmed it. */
    void release(Object handle);
}
