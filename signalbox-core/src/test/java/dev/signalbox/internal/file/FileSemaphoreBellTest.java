package dev.signalbox.internal.file;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.signalbox.Await;
import dev.signalbox.MachineSemaphore;
import dev.signalbox.Permit;

/** A release wakes the waiter at the door through the bell, not through its periodic rescan. */
@Tag("unit")
class FileSemaphoreBellTest {

    @TempDir
    Path temp;

    @AfterEach
    void restoreTheRescan() {
        FileSemaphore.rescanOverrideMillis = 0;
    }

    @Test
    void aReleaseWakesTheHeadWaiterWithoutWaitingForARescan() throws Exception {
        // Rescans a minute apart: a grant within seconds can only come from the bell.
        FileSemaphore.rescanOverrideMillis = Duration.ofMinutes(1).toMillis();
        try (MachineSemaphore semaphore = MachineSemaphore.open(temp.resolve("state"), "bell", 1)) {
            Permit held = semaphore.acquirePermit();
            CompletableFuture<Permit> waiter = semaphore.acquirePermitAsync();
            // The door thread sleeps on the bell: only a ring (or a minute) wakes it now.
            Await.until("the door thread sleeps on the bell", () -> doorThreadSleeps("signalbox-door-bell"));
            held.close();
            Await.get(waiter).close();
        }
    }

    private static boolean doorThreadSleeps(String name) {
        return Thread.getAllStackTraces().keySet().stream()
                .anyMatch(t -> t.getName().equals(name) && t.getState() == Thread.State.TIMED_WAITING);
    }
}
