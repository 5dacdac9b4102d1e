package dev.signalbox.redis.snippets;

import java.util.concurrent.CompletableFuture;

import dev.signalbox.redis.LeasedPermit;
import dev.signalbox.redis.RedisSemaphore;
import dev.signalbox.redis.RedisSemaphoreClient;

/**
 * The examples of the Redis backend's Javadoc, as code the test build compiles: each region is
 * shown by a {@code {@snippet class=dev.signalbox.redis.snippets.RedisSnippets region=...}} tag
 * whose inline copy javadoc checks against it. The parameters and stubs are what an example takes
 * for granted; the examples use only the public API, as a user's code would.
 */
final class RedisSnippets {

    private RedisSnippets() {}

    static void client() throws InterruptedException {
        // @start region=client :
        try (RedisSemaphoreClient redis = RedisSemaphoreClient.builder("redis://:secret@redis.internal:6379")
                .keyPrefix("billing")
                .build()) {
            RedisSemaphore exports = redis.semaphore("exports", 4);
            try (LeasedPermit permit = exports.acquirePermit()) {
                runExport(permit.fencingToken());
            }
        }
        // @end
    }

    static void semaphore(RedisSemaphoreClient redis, Storage storage) throws InterruptedException {
        // @start region=semaphore :
        RedisSemaphore exports = redis.semaphore("exports", 4);
        try (LeasedPermit permit = exports.acquirePermit()) {      // or tryAcquirePermit(timeout)
            exportTo(storage, permit.fencingToken());
        }
        // @end
    }

    static void setMaxPermits(RedisSemaphoreClient redis) {
        // @start region=set-max-permits :
        RedisSemaphore exports = redis.semaphore("exports", 8);
        exports.setMaxPermits(2);   // returns at once; the 6 held above the new maximum are paid back as released
        // @end
    }

    static void leasedPermit(RedisSemaphore semaphore, Job job, Storage storage, String record)
            throws InterruptedException {
        // @start region=leased-permit :
        try (LeasedPermit permit = semaphore.acquirePermit()) {
            permit.lost().thenRun(job::abort);                // the lease ended before close()
            storage.write(record, permit.fencingToken());     // storage rejects older tokens
        }
        // @end
    }

    /** Work that must stop once its permit is lost. */
    interface Job {
        void abort();
    }

    /** A resource that keeps the highest fencing token it accepted and rejects lower ones. */
    interface Storage {
        CompletableFuture<Void> write(String record, long fencingToken);
    }

    private static void runExport(long fencingToken) {}

    private static void exportTo(Storage storage, long fencingToken) {}
}
