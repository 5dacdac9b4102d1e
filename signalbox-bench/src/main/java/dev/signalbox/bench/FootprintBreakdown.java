package dev.signalbox.bench;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

import javax.management.ObjectName;

import dev.signalbox.bench.state.BlockingPermits;
import dev.signalbox.bench.state.Contender;

/**
 * Where the bytes of a blocked virtual thread go (scenario 4's companion): blocks {@code n}
 * virtual threads on a contender and prints the classes whose live instances grew, per thread,
 * from the JVM's class histogram (after a full GC). A parked thread's stack lives in
 * {@code jdk.internal.vm.StackChunk} objects, so the histogram separates the semaphore's node from
 * the frames of its acquire path.
 *
 * <p>Usage: {@code java -cp benchmarks.jar dev.signalbox.bench.FootprintBreakdown [n]}.
 */
public final class FootprintBreakdown {

    private FootprintBreakdown() {}

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        if (n <= 0) {
            throw new IllegalArgumentException("n must be positive, got " + n);
        }
        Map<String, BlockingPermits> contenders = new LinkedHashMap<>();
        contenders.put("baseline (LockSupport.park)", null);
        contenders.put("ours", Contender.OURS.blocking(0));
        contenders.put("j.u.c. fair", Contender.JUC_FAIR.blocking(0));
        // Warm up the acquire paths, so that the frames measured are compiled ones, as in a server.
        for (int round = 0; round < 3; round++) {
            for (var e : contenders.entrySet()) {
                block(e.getValue(), n / 10, null);
            }
        }
        for (var e : contenders.entrySet()) {
            Map<String, long[]> before = histogram();
            Map<String, long[]> after = new LinkedHashMap<>();
            block(e.getValue(), n, after);
            System.out.printf(Locale.ROOT, "%s, %,d virtual threads blocked:%n", e.getKey(), n);
            long total = 0;
            for (var c : after.entrySet()) {
                long[] b = before.getOrDefault(c.getKey(), new long[2]);
                long bytes = c.getValue()[1] - b[1];
                if (bytes >= n / 2) {
                    System.out.printf(Locale.ROOT, "  %8.1f B  %6.2f instances  %s%n", (double) bytes / n,
                            (double) (c.getValue()[0] - b[0]) / n, c.getKey());
                }
                total += bytes;
            }
            System.out.printf(Locale.ROOT, "  %8.1f B  in all%n", (double) total / n);
        }
    }

    /** Blocks {@code n} virtual threads on {@code permits} (null: a bare park), records, lets them go. */
    private static void block(BlockingPermits permits, int n, Map<String, long[]> record) throws Exception {
        Thread[] threads = new Thread[n];
        AtomicBoolean released = new AtomicBoolean();
        Runnable waiter = () -> {
            try {
                if (permits == null) {
                    while (!released.get()) {
                        LockSupport.park();
                    }
                } else {
                    permits.acquire(1);
                }
            } catch (InterruptedException e) {
                throw new IllegalStateException("interrupted", e);
            }
        };
        for (int i = 0; i < n; i++) {
            threads[i] = Thread.ofVirtual().start(waiter);
        }
        for (Thread t : threads) {
            while (t.getState() != Thread.State.WAITING) {
                Thread.yield();
            }
        }
        if (record != null) {
            record.putAll(histogram());
        }
        released.set(true);
        if (permits != null) {
            permits.release(n);
        }
        for (Thread t : threads) {
            LockSupport.unpark(t);
        }
        for (Thread t : threads) {
            if (!t.join(Duration.ofSeconds(30))) {
                throw new IllegalStateException("a waiter did not finish: " + t);
            }
        }
    }

    /** Live instances and bytes per class name, from {@code GC.class_histogram} (which runs a full GC). */
    private static Map<String, long[]> histogram() throws Exception {
        String text = (String) ManagementFactory.getPlatformMBeanServer().invoke(
                new ObjectName("com.sun.management:type=DiagnosticCommand"), "gcClassHistogram",
                new Object[] {new String[0]}, new String[] {String[].class.getName()});
        Map<String, long[]> classes = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length >= 4 && f[0].endsWith(":")) {
                classes.put(f[3], new long[] {Long.parseLong(f[1]), Long.parseLong(f[2])});
            }
        }
        return classes;
    }
}
