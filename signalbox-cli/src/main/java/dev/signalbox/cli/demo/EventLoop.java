package dev.signalbox.cli.demo;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * A single-threaded event loop that schedules as asyncio's does, so that the demo prints its
 * lines in one order on every run, whatever the hold time.
 *
 * <p>Each iteration reads the monotonic clock once, moves every timer due by then to the ready
 * queue (earliest deadline first, ties in the order they were set), and runs exactly the
 * callbacks that were ready when the iteration began. A callback made ready during the iteration
 * (by {@link #execute}, e.g. the continuation of a future that a release completed) runs in the
 * next one, after every timer that fell due together. Timers set during an iteration count from
 * that iteration's time, so workers that start holding in the same iteration all fall due in the
 * same later one.
 *
 * <p>That is exactly why the tutorial's two holders both print "Releasing Semaphore" before the
 * third worker, woken by the first release, prints that it acquired.
 *
 * <p>Confined to the thread that created it: every method must be called from that thread.
 */
final class EventLoop implements Executor {

    private final Thread owner = Thread.currentThread();
    private final ArrayDeque<Runnable> ready = new ArrayDeque<>();
    private final PriorityQueue<Timer> timers =
            new PriorityQueue<>(Comparator.comparingLong(Timer::deadline).thenComparingLong(Timer::sequence));
    /** The current iteration's time, from {@link System#nanoTime()}. */
    private long now = System.nanoTime();
    /** Orders timers with equal deadlines by when they were set. */
    private long timersSet;

    /** The current iteration's time, in {@link System#nanoTime()} nanoseconds. */
    long now() {
        return now;
    }

    /** Runs {@code task} in the next iteration, after the timers that fall due by then. */
    @Override
    public void execute(Runnable task) {
        Objects.requireNonNull(task, "task");
        confined();
        ready.add(task);
    }

    /**
     * Runs {@code task} in the first iteration that begins at least {@code delay} after the
     * current iteration's time.
     *
     * @throws IllegalArgumentException if {@code delay} is negative
     */
    void callLater(Duration delay, Runnable task) {
        Objects.requireNonNull(delay, "delay");
        Objects.requireNonNull(task, "task");
        if (delay.isNegative()) {
            throw new IllegalArgumentException("delay must not be negative, got " + delay);
        }
        confined();
        timers.add(new Timer(saturatedAdd(now, delay), timersSet++, task));
    }

    /**
     * Runs iterations until {@code goal} is done.
     *
     * @throws IllegalStateException if nothing is left to run or wait for and {@code goal} is
     *     still not done: it never would be
     * @throws InterruptedException if the thread is interrupted while waiting for a timer
     */
    void runUntil(CompletableFuture<?> goal) throws InterruptedException {
        Objects.requireNonNull(goal, "goal");
        confined();
        while (!goal.isDone()) {
            runOnce();
        }
    }

    private void runOnce() throws InterruptedException {
        if (ready.isEmpty()) {
            Timer next = timers.peek();
            if (next == null) {
                throw new IllegalStateException("the loop has nothing left to run, yet its goal is not done");
            }
            for (long wait; (wait = next.deadline() - System.nanoTime()) > 0; ) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
        }
        now = System.nanoTime();
        for (Timer due = timers.peek(); due != null && due.deadline() - now <= 0; due = timers.peek()) {
            ready.add(timers.poll().task());
        }
        // Only what is ready now: callbacks these make ready wait for the next iteration.
        for (int n = ready.size(); n > 0; n--) {
            ready.poll().run();
        }
    }

    private void confined() {
        if (Thread.currentThread() != owner) {
            throw new IllegalStateException("the event loop belongs to " + owner + ", called from "
                    + Thread.currentThread());
        }
    }

    /** {@code time + delay} in nanoseconds; a delay beyond about 146 years means never. */
    private static long saturatedAdd(long time, Duration delay) {
        long nanos;
        try {
            nanos = delay.toNanos();
        } catch (ArithmeticException tooLong) {
            nanos = Long.MAX_VALUE;
        }
        return time + Math.min(nanos, Long.MAX_VALUE / 2);
    }

    private record Timer(long deadline, long sequence, Runnable task) {}
}
