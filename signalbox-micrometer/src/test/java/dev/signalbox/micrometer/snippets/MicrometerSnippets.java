package dev.signalbox.micrometer.snippets;

import dev.signalbox.Semaphore;
import dev.signalbox.micrometer.SemaphoreMetrics;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The example of {@link SemaphoreMetrics}'s Javadoc, as code the test build compiles: the
 * {@code {@snippet class=dev.signalbox.micrometer.snippets.MicrometerSnippets region=...}} tag's
 * inline copy is checked against it by javadoc. It uses only the public API, as a user's code would.
 */
final class MicrometerSnippets {

    private MicrometerSnippets() {}

    static void metrics(MeterRegistry registry) {
        // @start region=metrics :
        Semaphore db = Semaphore.builder(10)
                .name("db")                                   // the "semaphore" tag of every meter
                .listener(SemaphoreMetrics.of(registry))
                .build();
        // @end
    }
}
