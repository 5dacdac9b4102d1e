package dev.signalbox.overhead;

import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.Callable;

import dev.signalbox.Permit;
import dev.signalbox.Semaphore;
import dev.signalbox.SemaphoreListener;

/**
 * A small timing harness for what observation costs the uncontended fast paths, until the JMH
 * module has a benchmark for it. Not a test: run it by hand (README, "Operating and observing").
 *
 * <p>{@code java -cp classes:test-classes dev.signalbox.overhead.ObservationOverhead CONFIG...}
 * where a CONFIG is {@code off} ({@code Semaphore.of}, which older builds have too, so the same
 * compiled harness measures them) or builder calls such as {@code trackHolders=true,detectLeaks=128}
 * or {@code listener}. For each config and operation it prints the median of 7 one-second
 * measurements after 3 s of warm-up, in nanoseconds per operation.
 */
public final class ObservationOverhead {

    private static volatile long sink;

    private ObservationOverhead() {}

    public static void main(String[] args) throws Exception {
        for (String config : args) {
            Semaphore semaphore = config.equals("off") ? Semaphore.of(1) : Configured.build(config);
            System.out.printf("%-44s tryAcquire+release %6.1f ns   acquirePermit+close %6.1f ns%n", config,
                    measure(() -> {
                        if (semaphore.tryAcquire()) {
                            semaphore.release();
                            return 1;
                        }
                        return 0;
                    }),
                    measure(() -> {
                        Permit permit = semaphore.acquirePermit();
                        permit.close();
                        return permit.permits();
                    }));
        }
    }

    /** Median ns per call of {@code op}, run in batches so that the clock is read rarely. */
    private static double measure(Callable<Integer> op) throws Exception {
        run(op, Duration.ofSeconds(3));
        double[] samples = new double[7];
        for (int i = 0; i < samples.length; i++) {
            samples[i] = run(op, Duration.ofSeconds(1));
        }
        Arrays.sort(samples);
        return samples[samples.length / 2];
    }

    private static double run(Callable<Integer> op, Duration duration) throws Exception {
        long calls = 0;
        long sum = 0;
        long start = System.nanoTime();
        long end = start + duration.toNanos();
        long now;
        do {
            for (int i = 0; i < 10_000; i++) {
                sum += op.call();
            }
            calls += 10_000;
            now = System.nanoTime();
        } while (now < end);
        sink = sum;
        return (double) (now - start) / calls;
    }

    /** Builder configurations: a class of its own, so that older builds without a builder never load it. */
    private static final class Configured {

        static Semaphore build(String config) {
            Semaphore.Builder builder = Semaphore.builder(1).name("bench");
            for (String option : config.split(",")) {
                String[] kv = option.split("=", 2);
                builder = switch (kv[0]) {
                    case "recordTotals" -> builder.recordTotals(Boolean.parseBoolean(kv[1]));
                    case "trackHolders" -> builder.trackHolders(Boolean.parseBoolean(kv[1]));
                    case "recordAcquisitionSites" -> builder.recordAcquisitionSites(Boolean.parseBoolean(kv[1]));
                    case "detectLeaks" -> builder.detectLeaks(Integer.parseInt(kv[1]));
                    case "reportLongWaits" -> builder.reportLongWaits(Duration.parse(kv[1]));
                    case "listener" -> builder.listener(new SemaphoreListener() {});
                    default -> throw new IllegalArgumentException("unknown option: " + option);
                };
            }
            return builder.build();
        }
    }
}
