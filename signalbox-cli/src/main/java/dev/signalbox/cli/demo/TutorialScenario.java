package dev.signalbox.cli.demo;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

import dev.signalbox.Semaphore;

/**
 * The tutorial's program on a {@link Semaphore}: {@code workers} workers share a semaphore of
 * {@code permits}; each acquires it, prints "Successfully acquired the semaphore", holds it for
 * {@code hold}, prints "Releasing Semaphore" and releases it (the tutorial's code forgot to). When
 * all are done the main coroutine prints "Main Coroutine", then "All Workers Completed".
 *
 * <p>The workers are {@code acquireAsync} continuations on an {@link EventLoop}, so the order is
 * asyncio's and the same on every run: workers acquire in rounds of {@code permits} in the order
 * they started (the semaphore is FIFO), and a round's holders all print "Releasing Semaphore"
 * before the next round, woken by those releases, prints that it acquired.
 */
public final class TutorialScenario {

    private final int workers;
    private final Semaphore semaphore;
    private final Duration hold;

    /**
     * Sets up the scenario; {@link #run} runs it.
     *
     * @param workers how many workers, at least 1
     * @param semaphore the semaphore they share, with at least 1 permit
     * @param hold how long each holds it, not negative
     * @throws IllegalArgumentException if there are no workers, no free permit, or the hold is negative
     * @throws NullPointerException if {@code semaphore} or {@code hold} is null
     */
    public TutorialScenario(int workers, Semaphore semaphore, Duration hold) {
        if (workers < 1) {
            throw new IllegalArgumentException("workers must be at least 1, got " + workers);
        }
        Objects.requireNonNull(semaphore, "semaphore");
        if (semaphore.availablePermits() < 1) {
            throw new IllegalArgumentException("the semaphore needs a free permit or no worker ever acquires, got "
                    + semaphore);
        }
        Objects.requireNonNull(hold, "hold");
        if (hold.isNegative()) {
            throw new IllegalArgumentException("hold must not be negative, got " + hold);
        }
        this.workers = workers;
        this.semaphore = semaphore;
        this.hold = hold;
    }

    /**
     * Runs the scenario on this thread, printing to {@code out} as it goes, and returns when
     * "All Workers Completed" is printed.
     *
     * @param out where the workers and the main coroutine print their lines
     * @return when each worker waited and held the semaphore, in the order the workers started
     * @throws InterruptedException if the thread is interrupted while the workers hold the semaphore
     */
    public Timeline run(PrintWriter out) throws InterruptedException {
        Objects.requireNonNull(out, "out");
        EventLoop loop = new EventLoop();
        List<CompletableFuture<Timeline.Span>> spans = new ArrayList<>(workers);
        for (int i = 0; i < workers; i++) {
            CompletableFuture<Timeline.Span> done = new CompletableFuture<>();
            spans.add(done);
            // Each worker starts as a task of its own, as asyncio.wait wraps each coroutine in one.
            loop.execute(() -> work(loop, out, done));
        }
        CompletableFuture<Void> main = CompletableFuture.allOf(spans.toArray(CompletableFuture[]::new))
                .thenRunAsync(() -> out.println("Main Coroutine"), loop);
        loop.runUntil(main);
        out.println("All Workers Completed");
        return Timeline.of(spans.stream().map(CompletableFuture::join).toList());
    }

    private void work(EventLoop loop, PrintWriter out, CompletableFuture<Timeline.Span> done) {
        long started = loop.now();
        Runnable holdIt = () -> {
            long acquired = loop.now();
            out.println("Successfully acquired the semaphore");
            loop.callLater(hold, () -> {
                out.println("Releasing Semaphore");
                semaphore.release();
                done.complete(new Timeline.Span(started, acquired, loop.now()));
            });
        };
        CompletableFuture<Void> grant = semaphore.acquireAsync();
        if (grant.isDone()) {
            // A free permit does not suspend the worker, as awaiting asyncio's acquire() then does not.
            grant.join();
            holdIt.run();
        } else {
            grant.thenRunAsync(holdIt, loop);
        }
    }
}
