package dev.signalbox.redis.internal;

import dev.signalbox.internal.future.WithdrawableFuture;
import dev.signalbox.redis.LeasedPermit;

/**
 * The future of one acquire. Callers may cancel it or complete it exceptionally (both withdraw
 * the request: the engine sees the future complete and cancels the request on the server), but
 * cannot complete it with a value: only a grant from Redis does that.
 */
final class RequestFuture extends WithdrawableFuture<LeasedPermit> {

    @Override
    protected boolean withdraw(Throwable reason) {
        return true; // the engine withdraws on the server once the future has completed
    }

    boolean grant(LeasedPermit permit) {
        return completeGranted(permit);
    }
}
