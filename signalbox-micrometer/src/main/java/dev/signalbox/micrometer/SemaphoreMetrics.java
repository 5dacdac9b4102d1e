package dev.signalbox.micrometer;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

import dev.signalbox.BoundedSemaphore;
import dev.signalbox.Semaphore;
import dev.signalbox.SemaphoreListener;
import dev.signalbox.SemaphoreSnapshot;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;

/**
 * Binds one {@link Semaphore} to a Micrometer {@link MeterRegistry}: give it to the semaphore's
 * builder as a listener, and the meters are registered when the semaphore is built.
 *
 * {@snippet class=dev.signalbox.micrometer.snippets.MicrometerSnippets region=metrics :
 * Semaphore db = Semaphore.builder(10)
 *         .name("db")                                   // the "semaphore" tag of every meter
 *         .listener(SemaphoreMetrics.of(registry))
 *         .build();
 * }
 *
 * <p>The meters, each tagged {@code semaphore=<name>} plus the extra tags given here:
 * <table class="striped">
 * <caption>Meters</caption>
 * <thead><tr><th>Name</th><th>Type</th><th>What</th></tr></thead>
 * <tbody>
 * <tr><td>{@code signalbox.semaphore.permits.available}</td><td>gauge</td>
 *     <td>permits free now (negative while a lowered maximum is paid back)</td></tr>
 * <tr><td>{@code signalbox.semaphore.permits.max}</td><td>gauge</td>
 *     <td>the maximum; only for a {@link BoundedSemaphore}</td></tr>
 * <tr><td>{@code signalbox.semaphore.waiters}</td><td>gauge</td><td>acquirers queued now</td></tr>
 * <tr><td>{@code signalbox.semaphore.acquires}</td><td>counter</td>
 *     <td>acquires that ended, tagged {@code outcome}: {@code granted}, {@code cancelled},
 *     {@code timed_out}, {@code interrupted}, {@code rejected}</td></tr>
 * <tr><td>{@code signalbox.semaphore.wait}</td><td>timer</td>
 *     <td>how long acquires waited (0 when granted at once), tagged {@code outcome} as above
 *     except {@code rejected}</td></tr>
 * <tr><td>{@code signalbox.semaphore.hold}</td><td>timer</td>
 *     <td>how long {@link dev.signalbox.Permit} handles were held, from grant to close</td></tr>
 * <tr><td>{@code signalbox.semaphore.leaks}</td><td>counter</td>
 *     <td>handles found unclosed by leak detection (when the semaphore detects leaks)</td></tr>
 * </tbody>
 * </table>
 *
 * <p>One instance binds one semaphore: give each semaphore its own. Wait times have millisecond
 * resolution. The gauges read the semaphore when the registry is scraped; the counters and timers
 * cost a few striped increments per acquire.
 *
 * <p>Thread-safe: the semaphore calls it from any thread, as {@link SemaphoreListener} requires.
 */
public final class SemaphoreMetrics implements SemaphoreListener {

    private final MeterRegistry registry;
    private final Tags extraTags;
    /** Written once by {@link #onAttach}; the semaphore's build publishes it to every other callback. */
    private volatile Meters meters;

    private SemaphoreMetrics(MeterRegistry registry, Tags extraTags) {
        this.registry = registry;
        this.extraTags = extraTags;
    }

    /**
     * A binding of the semaphore it is given to (as a listener) to {@code registry}.
     *
     * @param registry where to register the meters
     * @param tags     extra tags for every meter, e.g. {@code Tag.of("service", "billing")}
     * @return the listener to give to {@link Semaphore.Builder#listener(SemaphoreListener)}
     * @throws NullPointerException if {@code registry} or a tag is null
     */
    public static SemaphoreMetrics of(MeterRegistry registry, Tag... tags) {
        Objects.requireNonNull(registry, "registry");
        Objects.requireNonNull(tags, "tags");
        return new SemaphoreMetrics(registry, Tags.of(tags));
    }

    /**
     * Registers the meters of {@code semaphore}; called by its builder.
     *
     * @throws IllegalStateException if the semaphore has no name (it is the meters' tag), or this
     *     instance already binds another semaphore
     */
    @Override
    public synchronized void onAttach(Semaphore semaphore) {
        Objects.requireNonNull(semaphore, "semaphore");
        if (meters != null) {
            throw new IllegalStateException("this SemaphoreMetrics already binds " + meters.semaphore
                    + "; give each semaphore its own SemaphoreMetrics.of(registry)");
        }
        String name = semaphore.name().orElseThrow(() -> new IllegalStateException(
                "SemaphoreMetrics tags its meters with the semaphore's name; name it with builder.name(...)"));
        meters = new Meters(semaphore, registry, extraTags.and("semaphore", name));
    }

    @Override
    public void onAcquire(int permits, Outcome outcome, Duration waited) {
        Meters m = meters;
        m.acquires.get(outcome).increment();
        Timer wait = m.waits.get(outcome);
        if (wait != null) {
            wait.record(waited);
        }
    }

    @Override
    public void onPermitClosed(int permits, Duration held) {
        meters.hold.record(held);
    }

    @Override
    public void onLeak(SemaphoreSnapshot.Holder holder, boolean reclaimed) {
        meters.leaks.increment();
    }

    @Override
    public String toString() {
        Meters m = meters;
        return "SemaphoreMetrics[" + (m == null ? "unbound" : m.semaphore) + "]";
    }

    /** Every meter of one semaphore, made once so that events look nothing up. */
    private static final class Meters {

        final Semaphore semaphore;
        final Map<Outcome, Counter> acquires = new EnumMap<>(Outcome.class);
        final Map<Outcome, Timer> waits = new EnumMap<>(Outcome.class);
        final Timer hold;
        final Counter leaks;

        Meters(Semaphore semaphore, MeterRegistry registry, Tags tags) {
            this.semaphore = semaphore;
            Gauge.builder("signalbox.semaphore.permits.available", semaphore, Semaphore::availablePermits)
                    .description("Permits free now; negative while a lowered maximum is paid back")
                    .baseUnit("permits")
                    .tags(tags)
                    .register(registry);
            Gauge.builder("signalbox.semaphore.waiters", semaphore, Semaphore::queueLength)
                    .description("Acquirers queued now")
                    .tags(tags)
                    .register(registry);
            if (semaphore instanceof BoundedSemaphore bounded) {
                Gauge.builder("signalbox.semaphore.permits.max", bounded, BoundedSemaphore::maxPermits)
                        .description("The most permits the semaphore may hold")
                        .baseUnit("permits")
                        .tags(tags)
                        .register(registry);
            }
            for (Outcome outcome : Outcome.values()) {
                String tag = outcome.name().toLowerCase(Locale.ROOT);
                acquires.put(outcome, Counter.builder("signalbox.semaphore.acquires")
                        .description("Acquires that ended, by outcome")
                        .tags(tags).tag("outcome", tag)
                        .register(registry));
                if (outcome != Outcome.REJECTED) {
                    waits.put(outcome, Timer.builder("signalbox.semaphore.wait")
                            .description("How long acquires waited for permits, by outcome")
                            .tags(tags).tag("outcome", tag)
                            .register(registry));
                }
            }
            hold = Timer.builder("signalbox.semaphore.hold")
                    .description("How long Permit handles were held")
                    .tags(tags)
                    .register(registry);
            leaks = Counter.builder("signalbox.semaphore.leaks")
                    .description("Permit handles garbage-collected without being closed")
                    .tags(tags)
                    .register(registry);
        }
    }
}
