package dev.signalbox.redis.testing;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Waits, boundedly, for state another process (Redis) changes, where no event can be awaited. */
public final class Await {

    /** Every future in these tests is read with this bound. */
    public static final Duration WAIT = Duration.ofSeconds(15);

    private Await() {
    }

    public static void until(String what, BooleanSupplier condition) throws InterruptedException {
        until(what, WAIT, condition);
    }

    public static void until(String what, Duration bound, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + bound.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("not within " + bound + ": " + what);
            }
            Thread.sleep(5);
        }
    }
}
