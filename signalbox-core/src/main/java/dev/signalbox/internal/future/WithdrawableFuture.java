package dev.signalbox.internal.future;

import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The future of one request for permits, as every backend returns it. The caller may give up on
 * it — {@code cancel}, or {@code completeExceptionally} (which is what {@code orTimeout} does) —
 * and that withdraws the request unless the grant came first: then giving up fails and the
 * future completes with the permits. Completing it normally from outside would claim permits
 * nobody granted, so {@code complete}, {@code completeAsync}, {@code completeOnTimeout} and
 * {@code obtrude*} throw {@link UnsupportedOperationException}; only the backend completes it,
 * through {@link #completeGranted} and {@link #completeFailed}.
 *
 * @param <T> what a grant completes the future with: the backend's permit
 */
public abstract class WithdrawableFuture<T> extends CompletableFuture<T> {

    /** Creates an incomplete future; only a backend's subclass does. */
    protected WithdrawableFuture() {}

    /**
     * Withdraws the request, unless it was granted (or failed) first.
     *
     * @param reason why the caller gives up: null for {@code cancel}, else the exception given to
     *     {@code completeExceptionally} (a {@code TimeoutException} from {@code orTimeout})
     * @return true if withdrawn: the future may then complete with the caller's outcome
     */
    protected abstract boolean withdraw(Throwable reason);

    /**
     * Completes the future with what was granted; for the backend only.
     *
     * @param value the permit granted
     * @return true if this call completed the future
     */
    protected final boolean completeGranted(T value) {
        return super.complete(value);
    }

    /**
     * Completes the future with why the request failed; for the backend only.
     *
     * @param failure why the request failed
     * @return true if this call completed the future
     */
    protected final boolean completeFailed(Throwable failure) {
        return super.completeExceptionally(failure);
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
        return withdraw(null) ? super.cancel(mayInterruptIfRunning) : isCancelled();
    }

    @Override
    public boolean completeExceptionally(Throwable ex) {
        Objects.requireNonNull(ex, "ex");
        return withdraw(ex) && super.completeExceptionally(ex);
    }

    @Override
    public boolean complete(T value) {
        throw refused();
    }

    @Override
    public CompletableFuture<T> completeAsync(Supplier<? extends T> supplier, Executor executor) {
        throw refused();
    }

    @Override
    public CompletableFuture<T> completeAsync(Supplier<? extends T> supplier) {
        throw refused();
    }

    @Override
    public CompletableFuture<T> completeOnTimeout(T value, long timeout, TimeUnit unit) {
        throw refused();
    }

    @Override
    public void obtrudeValue(T value) {
        throw refused();
    }

    @Override
    public void obtrudeException(Throwable ex) {
        throw refused();
    }

    private static UnsupportedOperationException refused() {
        return new UnsupportedOperationException(
                "a pending acquire completes only when its permits are granted; cancel it instead");
    }
}
