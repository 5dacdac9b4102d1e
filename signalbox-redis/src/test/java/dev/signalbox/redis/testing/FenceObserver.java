package dev.signalbox.redis.testing;

import java.util.ArrayList;
import java.util.List;

import dev.signalbox.redis.LeasedPermit;

/**
 * The single observer of who is "inside" a guarded resource, as a fencing resource would see it:
 * a holder enters with its permit and leaves; the observer records violations instead of
 * throwing, so a test asserts them once at the end.
 *
 * <p>Checks: among holders whose lease is valid when they enter, never more than {@code max}
 * units inside at once, and no fencing token accepted twice. It also records who entered in
 * which order, for FIFO checks.
 */
public final class FenceObserver {

    private final int max;
    private int inside;
    private final java.util.Set<Long> tokens = new java.util.HashSet<>();
    private final List<String> violations = new ArrayList<>();
    private final List<String> entries = new ArrayList<>();

    public FenceObserver(int max) {
        this.max = max;
    }

    /** Enters with {@code permit}; false (and nothing changes) if the lease is not valid. */
    public synchronized boolean enter(String who, LeasedPermit permit) {
        if (!permit.isValid()) {
            return false;
        }
        inside += permit.permits();
        if (inside > max) {
            violations.add(who + " entered with " + permit + ": " + inside + " units inside, max " + max);
        }
        if (!tokens.add(permit.fencingToken())) {
            violations.add(who + " entered with a token already used: " + permit);
        }
        entries.add(who);
        return true;
    }

    public synchronized void exit(LeasedPermit permit) {
        inside -= permit.permits();
    }

    public synchronized List<String> violations() {
        return List.copyOf(violations);
    }

    /** Who entered, in order. */
    public synchronized List<String> entries() {
        return List.copyOf(entries);
    }
}
