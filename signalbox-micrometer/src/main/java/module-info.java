/**
 * Micrometer meters for Signalbox semaphores; see {@link dev.signalbox.micrometer.SemaphoreMetrics}.
 */
module dev.signalbox.micrometer {
    requires transitive dev.signalbox;
    // An automatic module (micrometer-core has no module-info); transitive, as our API takes its types.
    requires transitive micrometer.core;

    exports dev.signalbox.micrometer;
}
