package dev.signalbox.cli.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import dev.signalbox.BoundedSemaphore;
import dev.signalbox.Semaphore;

@Tag("unit")
class TutorialScenarioTest {

    @Test
    void everyWorkerReleasesSoTheSemaphoreEndsAsItBegan() throws InterruptedException {
        BoundedSemaphore semaphore = BoundedSemaphore.of(2);

        new TutorialScenario(5, semaphore, Duration.ZERO).run(new PrintWriter(new StringWriter()));

        assertThat(semaphore.availablePermits()).isEqualTo(2);
        assertThat(semaphore.queueLength()).isZero();
    }

    @Test
    void timesEachWorkerFromItsStartThroughItsGrantToItsRelease() throws InterruptedException {
        Duration hold = Duration.ofMillis(30);

        Timeline timeline = new TutorialScenario(3, Semaphore.of(2), hold).run(new PrintWriter(new StringWriter()));

        assertThat(timeline.spans()).hasSize(3).allSatisfy(span -> {
            assertThat(span.started()).isZero();
            assertThat(span.released() - span.acquired()).isGreaterThanOrEqualTo(hold.toNanos());
        });
        // The first two are granted at once; the third when the first of them releases.
        assertThat(timeline.spans().get(0).acquired()).isZero();
        assertThat(timeline.spans().get(1).acquired()).isZero();
        assertThat(timeline.spans().get(2).acquired()).isGreaterThanOrEqualTo(timeline.spans().get(0).released());
    }

    @Test
    void refusesWhatCouldNeverFinish() {
        assertThatThrownBy(() -> new TutorialScenario(0, Semaphore.of(1), Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("workers must be at least 1, got 0");
        assertThatThrownBy(() -> new TutorialScenario(3, Semaphore.of(0), Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the semaphore needs a free permit or no worker ever acquires, got Semaphore[permits=0, waiters=0]");
        assertThatThrownBy(() -> new TutorialScenario(3, Semaphore.of(1), Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("hold must not be negative, got PT-1S");
        assertThatThrownBy(() -> new TutorialScenario(3, null, Duration.ZERO))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("semaphore");
    }
}
