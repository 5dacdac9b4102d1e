package dev.signalbox.bench.state;

import java.util.Objects;
import java.util.concurrent.CompletableFuture;

import com.ibm.asyncutil.locks.FairAsyncSemaphore;

import dev.signalbox.Semaphore;

/**
 * The semaphores the benchmarks compare, and how each is set up: the one place where a contender
 * is constructed, so every scenario measures the same configuration of it.
 */
public enum Contender {

    /** {@link dev.signalbox.Semaphore}: fair, async and blocking. */
    OURS {
        @Override
        public AsyncPermits async(int permits) {
            Semaphore semaphore = Semaphore.of(permits);
            return new AsyncPermits() {
                @Override
                public CompletableFuture<?> acquire(int n) {
                    return semaphore.acquireAsync(n);
                }

                @Override
                public void release(int n) {
                    semaphore.release(n);
                }
            };
        }

        @Override
        public BlockingPermits blocking(int permits) {
            Semaphore semaphore = Semaphore.of(permits);
            return new BlockingPermits() {
                @Override
                public void acquire(int n) throws InterruptedException {
                    semaphore.acquire(n);
                }

                @Override
                public void release(int n) {
                    semaphore.release(n);
                }
            };
        }
    },

    /** {@code java.util.concurrent.Semaphore(permits, true)}: blocking only. */
    JUC_FAIR {
        @Override
        public BlockingPermits blocking(int permits) {
            return juc(new java.util.concurrent.Semaphore(permits, true));
        }
    },

    /** {@code java.util.concurrent.Semaphore(permits)}: barging allowed, blocking only. */
    JUC_NON_FAIR {
        @Override
        public BlockingPermits blocking(int permits) {
            return juc(new java.util.concurrent.Semaphore(permits, false));
        }
    },

    /** kotlinx-coroutines {@code Semaphore}, reached from Java through {@code future {}}; one permit at a time. */
    KOTLINX {
        @Override
        public AsyncPermits async(int permits) {
            return new KotlinxPermits(permits);
        }
    },

    /** IBM async-util {@code FairAsyncSemaphore}. */
    ASYNC_UTIL {
        @Override
        public AsyncPermits async(int permits) {
            FairAsyncSemaphore semaphore = new FairAsyncSemaphore(permits);
            return new AsyncPermits() {
                @Override
                public CompletableFuture<?> acquire(int n) {
                    return semaphore.acquire(n).toCompletableFuture();
                }

                @Override
                public void release(int n) {
                    semaphore.release(n);
                }
            };
        }
    },

    /**
     * No synchronisation at all: every acquire succeeds at once and release does nothing. It
     * measures the scenario's own harness, the floor under every contender.
     */
    UNSYNCHRONIZED {
        @Override
        public AsyncPermits async(int permits) {
            CompletableFuture<Void> granted = CompletableFuture.completedFuture(null);
            return new AsyncPermits() {
                @Override
                public CompletableFuture<?> acquire(int n) {
                    return granted;
                }

                @Override
                public void release(int n) {
                    // Nothing is counted, so nothing is given back.
                }
            };
        }

        @Override
        public BlockingPermits blocking(int permits) {
            return new BlockingPermits() {
                @Override
                public void acquire(int n) {
                    // Never waits: the baseline has no limit.
                }

                @Override
                public void release(int n) {
                    // Nothing is counted, so nothing is given back.
                }
            };
        }
    };

    /**
     * This contender with {@code permits} initial permits, as futures.
     *
     * @throws UnsupportedOperationException if it has no async API (j.u.c.)
     */
    public AsyncPermits async(int permits) {
        throw new UnsupportedOperationException(this + " has no async acquire");
    }

    /**
     * This contender with {@code permits} initial permits, for threads. Async-only contenders
     * block on their future ({@code join}), which is what a thread-based caller of them does.
     */
    public BlockingPermits blocking(int permits) {
        return joining(permits);
    }

    /**
     * This contender's async API used from a thread: {@code acquire(n).join()}.
     *
     * @throws UnsupportedOperationException if it has no async API (j.u.c.)
     */
    public final BlockingPermits joining(int permits) {
        AsyncPermits async = async(permits);
        return new BlockingPermits() {
            @Override
            public void acquire(int n) {
                async.acquire(n).join();
            }

            @Override
            public void release(int n) {
                async.release(n);
            }
        };
    }

    private static BlockingPermits juc(java.util.concurrent.Semaphore semaphore) {
        Objects.requireNonNull(semaphore, "semaphore");
        return new BlockingPermits() {
            @Override
            public void acquire(int n) throws InterruptedException {
                semaphore.acquire(n);
            }

            @Override
            public void release(int n) {
                semaphore.release(n);
            }
        };
    }
}
