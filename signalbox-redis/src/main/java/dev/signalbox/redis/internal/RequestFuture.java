package dev.signalbox.redis.internal;

import java.util.concurrent.CompletableFuture;

import dev.signalbox.redis.LeasedPermit;

/**
 * The future of one acquire. Callers may cancel it or complete it exceptionally (both withdraw
 * the request), but cannot complete it with a value: only a grant from Redis does that.
 */
final class RequestFuture extends CompletableFuture<LeasedPermit> {

    boolean grant(LeasedPermit permit) {
        return super.complete(permit);
    }

    @Override
    public boolean complete(LeasedPermit value) {
        throw new UnsupportedOperationException("only a grant from Redis completes an acquire");
    }

    @Override
    public void obtrudeValue(LeasedPermit value) {
        throw new UnsupportedOperationException("only a grant from Redis completes an acquire");
    }

    @Override
    public void obtrudeException(Throwable failure) {
        throw new UnsupportedOperationException("only a grant from Redis completes an acquire");
    }
}
