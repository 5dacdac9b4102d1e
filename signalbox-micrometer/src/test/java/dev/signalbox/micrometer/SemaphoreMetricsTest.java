package dev.signalbox.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import dev.signalbox.BoundedSemaphore;
import dev.signalbox.Permit;
import dev.signalbox.Semaphore;
import dev.signalbox.TooManyWaitersException;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import org.junit.jupiter.api.Test;

/** {@link SemaphoreMetrics} against a real {@link SimpleMeterRegistry}. */
@org.junit.jupiter.api.Tag("unit")
class SemaphoreMetricsTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    @Test
    void gaugesFollowAvailablePermitsWaitersAndTheMaximum() {
        BoundedSemaphore semaphore = Semaphore.builder(3).name("db")
                .listener(SemaphoreMetrics.of(registry, Tag.of("service", "billing"))).buildBounded();

        semaphore.acquireAsync(3);
        semaphore.acquireAsync(1);
        semaphore.acquireAsync(2);

        assertThat(gauge("signalbox.semaphore.permits.available")).isEqualTo(0);
        assertThat(gauge("signalbox.semaphore.waiters")).isEqualTo(2);
        assertThat(gauge("signalbox.semaphore.permits.max")).isEqualTo(3);
        semaphore.setMaxPermits(1);
        assertThat(gauge("signalbox.semaphore.permits.available")).isEqualTo(-2);
        assertThat(gauge("signalbox.semaphore.permits.max")).isEqualTo(1);
        assertThat(registry.get("signalbox.semaphore.waiters").tag("service", "billing").gauge()).isNotNull();
    }

    @Test
    void countersAndTimersRecordEveryOutcomeWithItsWait() throws Exception {
        Semaphore semaphore = Semaphore.builder(1).name("db").maxWaiters(1)
                .listener(SemaphoreMetrics.of(registry)).build();

        Permit permit = semaphore.acquirePermit();                              // granted at once
        CompletableFuture<Void> cancelled = semaphore.acquireAsync();
        assertThat(failure(semaphore.acquireAsync())).isInstanceOf(TooManyWaitersException.class); // rejected
        cancelled.cancel(false);                                               // cancelled
        assertThat(semaphore.tryAcquire(Duration.ofMillis(20))).isFalse();    // timed out after >= 20 ms
        permit.close();                                                        // one hold

        assertThat(acquires("granted")).isEqualTo(1);
        assertThat(acquires("rejected")).isEqualTo(1);
        assertThat(acquires("cancelled")).isEqualTo(1);
        assertThat(acquires("timed_out")).isEqualTo(1);
        assertThat(acquires("interrupted")).isZero();
        Timer timedOut = registry.get("signalbox.semaphore.wait").tags("semaphore", "db", "outcome", "timed_out").timer();
        assertThat(timedOut.count()).isEqualTo(1);
        assertThat(timedOut.totalTime(TimeUnit.MILLISECONDS)).isGreaterThanOrEqualTo(20);
        Timer granted = registry.get("signalbox.semaphore.wait").tags("semaphore", "db", "outcome", "granted").timer();
        assertThat(granted.count()).isEqualTo(1);
        assertThat(granted.totalTime(TimeUnit.NANOSECONDS)).isZero();
        Timer hold = registry.get("signalbox.semaphore.hold").tag("semaphore", "db").timer();
        assertThat(hold.count()).isEqualTo(1);
        assertThat(hold.totalTime(TimeUnit.MILLISECONDS)).isGreaterThanOrEqualTo(20);
        assertThat(registry.find("signalbox.semaphore.wait").tag("outcome", "rejected").timer()).isNull();
    }

    @Test
    void eachSemaphoreHasItsOwnMetersTaggedByName() {
        Semaphore db = Semaphore.builder(2).name("db").listener(SemaphoreMetrics.of(registry)).build();
        Semaphore cache = Semaphore.builder(5).name("cache").listener(SemaphoreMetrics.of(registry)).build();

        db.tryAcquire();

        assertThat(registry.get("signalbox.semaphore.permits.available").tag("semaphore", "db").gauge().value())
                .isEqualTo(1);
        assertThat(registry.get("signalbox.semaphore.permits.available").tag("semaphore", "cache").gauge().value())
                .isEqualTo(5);
        assertThat(registry.get("signalbox.semaphore.acquires").tags("semaphore", "cache", "outcome", "granted")
                .counter().count()).isZero();
        assertThat(cache.availablePermits()).isEqualTo(5);
    }

    @Test
    void anUnnamedSemaphoreCannotBeBound() {
        assertThatThrownBy(() -> Semaphore.builder(1).listener(SemaphoreMetrics.of(registry)).build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("name it with builder.name(...)");
    }

    @Test
    void oneBindingServesOneSemaphore() {
        SemaphoreMetrics metrics = SemaphoreMetrics.of(registry);
        Semaphore.builder(1).name("first").listener(metrics).build();

        assertThatThrownBy(() -> Semaphore.builder(1).name("second").listener(metrics).build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("already binds Semaphore[name=first");
    }

    @Test
    void nullArgumentsAreNamed() {
        assertThatThrownBy(() -> SemaphoreMetrics.of(null)).hasMessage("registry");
        assertThatThrownBy(() -> SemaphoreMetrics.of(registry, (Tag[]) null)).hasMessage("tags");
    }

    private double gauge(String name) {
        return registry.get(name).tag("semaphore", "db").gauge().value();
    }

    private double acquires(String outcome) {
        return registry.get("signalbox.semaphore.acquires").tags("semaphore", "db", "outcome", outcome).counter().count();
    }

    private static Throwable failure(CompletableFuture<?> future) throws InterruptedException {
        try {
            future.get(20, TimeUnit.SECONDS);
            throw new AssertionError("expected a failure, got " + future);
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("the future did not complete", e);
        }
    }
}
