package dev.signalbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The JFR events, recorded to a file by a real recording and read back with
 * {@link RecordingFile}: {@code dev.signalbox.LongWait} for waits of at least the threshold, and
 * {@code dev.signalbox.PermitLeak} for leaked handles.
 */
@Tag("unit")
class JfrEventsTest {

    private static final Duration THRESHOLD = Duration.ofMillis(5);

    @Test
    void longWaitsAndLeaksAreRecordedWithTheirFields(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("signalbox.jfr");
        List<SemaphoreSnapshot.Holder> leaks = new CopyOnWriteArrayList<>();
        try (Recording recording = new Recording()) {
            recording.enable("dev.signalbox.LongWait");
            recording.enable("dev.signalbox.PermitLeak");
            recording.start();

            Semaphore semaphore = Semaphore.builder(0).name("jfr-db").reportLongWaits(THRESHOLD)
                    .detectLeaks(1).recordAcquisitionSites(true)
                    .listener(new SemaphoreListener() {
                        @Override
                        public void onLeak(SemaphoreSnapshot.Holder holder, boolean reclaimed) {
                            leaks.add(holder);
                        }
                    })
                    .build();
            CompletableFuture<Void> granted = semaphore.acquireAsync(2);
            letTimePass(THRESHOLD.multipliedBy(2));
            semaphore.release(2);                                         // GRANTED after >= 10 ms
            assertThat(granted).isDone();
            CompletableFuture<Void> quick = semaphore.acquireAsync();
            semaphore.release();                                          // granted within the threshold: no event
            assertThat(quick).isDone();
            assertThat(semaphore.tryAcquire(Duration.ofMillis(10))).isFalse(); // TIMED_OUT after >= 10 ms
            CompletableFuture<Void> cancelled = semaphore.acquireAsync();
            letTimePass(THRESHOLD.multipliedBy(2));
            cancelled.cancel(false);                                      // CANCELLED after >= 10 ms
            semaphore.release();
            LeakDetectionTest.leakOne(semaphore);
            LeakDetectionTest.collectUntil("the leak is reported", () -> !leaks.isEmpty());

            recording.stop();
            recording.dump(file);
        }

        List<RecordedEvent> longWaits = events(file, "dev.signalbox.LongWait");
        assertThat(longWaits).extracting(e -> e.getString("outcome"))
                .containsExactly("GRANTED", "TIMED_OUT", "CANCELLED");
        assertThat(longWaits).extracting(e -> e.getInt("permits")).containsExactly(2, 1, 1);
        assertThat(longWaits).allSatisfy(e -> {
            assertThat(e.getString("semaphore")).isEqualTo("jfr-db");
            assertThat(e.getDuration("waitTime")).isGreaterThanOrEqualTo(THRESHOLD);
        });

        assertThat(events(file, "dev.signalbox.PermitLeak")).singleElement().satisfies(e -> {
            assertThat(e.getString("semaphore")).isEqualTo("jfr-db");
            assertThat(e.getInt("permits")).isEqualTo(1);
            assertThat(e.getString("holder")).isEqualTo(Thread.currentThread().getName());
            assertThat(e.getString("acquiredAt")).startsWith(LeakDetectionTest.class.getName() + ".leakOne(");
            assertThat(e.getBoolean("reclaimed")).isFalse();
            assertThat(e.getEventType().getLabel()).isEqualTo("Permit Leak");
        });
    }

    @Test
    void aSemaphoreWithoutAThresholdEmitsNoLongWaitEvents(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("quiet.jfr");
        try (Recording recording = new Recording()) {
            recording.enable("dev.signalbox.LongWait");
            recording.start();
            Semaphore semaphore = Semaphore.builder(0).name("quiet").build();
            assertThat(semaphore.tryAcquire(Duration.ofMillis(10))).isFalse();
            recording.stop();
            recording.dump(file);
        }

        assertThat(events(file, "dev.signalbox.LongWait")).isEmpty();
    }

    private static List<RecordedEvent> events(Path file, String type) throws IOException {
        return RecordingFile.readAllEvents(file).stream()
                .filter(e -> e.getEventType().getName().equals(type))
                .toList();
    }

    /** The threshold is a duration: the wait under test must really last that long. */
    private static void letTimePass(Duration duration) {
        long end = System.nanoTime() + duration.toNanos() + 1_000_000L; // waits are measured in whole ms
        while (System.nanoTime() - end < 0) {
            Thread.onSpinWait();
        }
    }
}
