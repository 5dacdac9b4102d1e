/**
 * Signalbox core: fair, cancellation-safe semaphores for {@code CompletableFuture} code and for
 * virtual threads. No runtime dependencies.
 */
module dev.signalbox {
    exports dev.signalbox;
}
