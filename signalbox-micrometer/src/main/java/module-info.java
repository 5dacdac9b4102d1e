/**
 * Micrometer meters for Signalbox semaphores; see {@link dev.signalbox.micrometer.SemaphoreMetrics}.
 */
module dev.signalbox.micrometer {
    requires transitive dev.signalbox;
    requires transitive micrometer.core;

    exports dev.signalbox.micrometer;
}
