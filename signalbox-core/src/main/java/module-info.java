/**
 * Signalbox core: fair, cancellation-safe semaphores for {@code CompletableFuture} code and for
 * virtual threads. No runtime dependencies: {@code jdk.jfr} is used for events when the runtime
 * has it, and is not required otherwise.
 */
module dev.signalbox {
    requires static jdk.jfr;

    exports dev.signalbox;
    // The one future every backend's acquire returns, shared with the Redis backend only.
    exports dev.signalbox.internal.future to dev.signalbox.redis;
}
