/**
 * Micrometer meters for Signalbox semaphores; see {@link dev.signalbox.micrometer.SemaphoreMetrics}.
 */
module dev.signalbox.micrometer {
    requires transitive dev.signalbox;
    // Not "transitive": micrometer-core is an automatic module, which users require themselves anyway.
    requires micrometer.core;

    exports dev.signalbox.micrometer;
}
