package dev.signalbox;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Run in a JVM whose virtual threads share one carrier: a virtual thread takes the only permit,
 * more virtual threads than carriers block in {@code acquire}, then the holder is told to release.
 * The holder can only run if the blocked ones gave the carrier up; if they keep it, nothing moves.
 *
 * <p>Arguments: {@code park} (waiters call {@code acquire}) or {@code spin} (waiters busy-wait on
 * {@code tryAcquire}: the control that keeps its carrier), and a time limit in milliseconds.
 * Exits 0 when every waiter got through, {@link #STUCK} when the time ran out first.
 */
public final class PinningProbe {

    static final int STUCK = 3;
    private static final int WAITERS = 8;

    private PinningProbe() {}

    public static void main(String[] args) throws Exception {
        boolean spin = args[0].equals("spin");
        long limitMillis = Long.parseLong(args[1]);
        Semaphore semaphore = Semaphore.of(1);
        CompletableFuture<Void> holding = new CompletableFuture<>();
        CompletableFuture<Void> mayRelease = new CompletableFuture<>();
        CompletableFuture<Void> everyoneThrough = new CompletableFuture<>();
        int[] through = {0};

        Thread.ofVirtual().start(() -> {
            semaphore.tryAcquire();
            holding.complete(null);
            mayRelease.join();
            semaphore.release();
        });
        holding.get(limitMillis, TimeUnit.MILLISECONDS);
        List<Thread> waiters = new ArrayList<>();
        for (int i = 0; i < WAITERS; i++) {
            waiters.add(Thread.ofVirtual().start(() -> {
                try {
                    if (spin) {
                        while (!semaphore.tryAcquire()) {
                            Thread.onSpinWait();
                        }
                    } else {
                        semaphore.acquire();
                    }
                } catch (InterruptedException e) {
                    return;
                }
                semaphore.release();
                synchronized (through) {
                    if (++through[0] == WAITERS) {
                        everyoneThrough.complete(null);
                    }
                }
            }));
        }
        // Released from this platform thread's point of view, but run on the one carrier.
        mayRelease.complete(null);
        try {
            everyoneThrough.get(limitMillis, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            System.out.println("stuck: " + through[0] + " of " + WAITERS + " waiters through, " + semaphore);
            Runtime.getRuntime().halt(STUCK);
        }
        System.out.println("all " + WAITERS + " waiters through");
        System.exit(0);
    }
}
