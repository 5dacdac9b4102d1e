/**
 * Signalbox on Redis: cluster-wide semaphores whose permits are leases with fencing tokens,
 * served first-in first-out across every client of one Redis server.
 */
module dev.signalbox.redis {
    requires transitive dev.signalbox;
    requires lettuce.core;

    exports dev.signalbox.redis;
}
