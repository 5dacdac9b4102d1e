package dev.signalbox.cli.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.signalbox.Semaphore;

@Tag("unit")
class EventLoopTest {

    private final EventLoop loop = new EventLoop();
    private final List<String> events = new ArrayList<>();
    private final CompletableFuture<Void> finished = new CompletableFuture<>();

    @Test
    void runsReadyCallbacksInTheOrderTheyWereMadeReady() throws InterruptedException {
        loop.execute(() -> events.add("a"));
        loop.execute(() -> {
            events.add("b");
            loop.execute(() -> {
                events.add("d");
                finished.complete(null);
            });
        });
        loop.execute(() -> events.add("c"));

        loop.runUntil(finished);

        assertThat(events).containsExactly("a", "b", "c", "d");
    }

    @ParameterizedTest
    @ValueSource(longs = {0, 1, 30})
    void timersDueTogetherAllRunBeforeWhatTheFirstOneMadeReady(long delayMillis) throws InterruptedException {
        Duration delay = Duration.ofMillis(delayMillis);
        loop.callLater(delay, () -> {
            events.add("first timer");
            loop.execute(() -> {
                events.add("made ready by the first timer");
                finished.complete(null);
            });
        });
        loop.callLater(delay, () -> events.add("second timer"));

        loop.runUntil(finished);

        assertThat(events).containsExactly("first timer", "second timer", "made ready by the first timer");
    }

    @Test
    void timersSetInOneIterationWithOneDelayShareTheirDeadline() throws InterruptedException {
        // Set from one callback after a busy moment: still due together, as they count from the iteration's time.
        loop.execute(() -> {
            loop.callLater(Duration.ofMillis(20), () -> events.add("first"));
            long busyUntil = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(30);
            while (System.nanoTime() - busyUntil < 0) {
                Thread.onSpinWait();
            }
            loop.callLater(Duration.ofMillis(20), () -> events.add("second"));
            loop.callLater(Duration.ofMillis(20), () -> loop.execute(() -> finished.complete(null)));
        });
        loop.execute(() -> loop.callLater(Duration.ofMillis(20), () -> events.add("third")));

        loop.runUntil(finished);

        assertThat(events).containsExactly("first", "second", "third");
    }

    @Test
    void timersRunByDeadlineThenInTheOrderTheyWereSet() throws InterruptedException {
        loop.callLater(Duration.ofMillis(40), () -> {
            events.add("40 ms");
            finished.complete(null);
        });
        loop.callLater(Duration.ofMillis(10), () -> events.add("10 ms, set first"));
        loop.callLater(Duration.ZERO, () -> events.add("now"));
        loop.callLater(Duration.ofMillis(10), () -> events.add("10 ms, set second"));

        loop.runUntil(finished);

        assertThat(events).containsExactly("now", "10 ms, set first", "10 ms, set second", "40 ms");
    }

    @Test
    void aTimerRunsNoSoonerThanItsDelayOnTheMonotonicClock() throws InterruptedException {
        long set = loop.now();
        long[] ran = new long[1];
        loop.callLater(Duration.ofMillis(50), () -> {
            ran[0] = System.nanoTime();
            finished.complete(null);
        });

        loop.runUntil(finished);

        assertThat(ran[0] - set).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(50));
        assertThat(loop.now() - set).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(50));
    }

    @Test
    void continuesAnAcquireAsyncGrantedByAReleaseInTheNextIteration() throws InterruptedException {
        Semaphore semaphore = Semaphore.of(0);
        semaphore.acquireAsync().thenRunAsync(() -> {
            events.add("acquired");
            finished.complete(null);
        }, loop);
        loop.execute(() -> {
            semaphore.release();
            events.add("released");
        });
        loop.execute(() -> events.add("ready before the release"));

        loop.runUntil(finished);

        assertThat(events).containsExactly("released", "ready before the release", "acquired");
    }

    @Test
    void refusesToWaitForAGoalNothingLeftCanReach() {
        loop.execute(() -> events.add("the only callback"));

        assertThatThrownBy(() -> loop.runUntil(finished))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("the loop has nothing left to run, yet its goal is not done");
        assertThat(events).containsExactly("the only callback");
    }

    @Test
    void refusesANegativeDelay() {
        assertThatThrownBy(() -> loop.callLater(Duration.ofMillis(-1), () -> {}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("delay must not be negative, got PT-0.001S");
    }

    @Test
    void refusesCallsFromAnotherThread() throws Exception {
        ExecutorService other = Executors.newSingleThreadExecutor();
        try {
            CompletableFuture<Void> call = CompletableFuture.runAsync(() -> loop.execute(() -> {}), other);

            assertThat(call).failsWithin(Duration.ofSeconds(10))
                    .withThrowableThat()
                    .havingRootCause()
                    .isInstanceOf(IllegalStateException.class)
                    .withMessageStartingWith("the event loop belongs to");
        } finally {
            other.shutdownNow();
        }
    }
}
