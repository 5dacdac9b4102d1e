package dev.signalbox.snippets;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.LongAdder;

import dev.signalbox.BoundedSemaphore;
import dev.signalbox.MachineSemaphore;
import dev.signalbox.Permit;
import dev.signalbox.Semaphore;
import dev.signalbox.SemaphoreListener;
import dev.signalbox.SemaphoreSnapshot;

/**
 * The examples of the core's Javadoc, as code the test build compiles: each region is shown by a
 * {@code {@snippet class=dev.signalbox.snippets.CoreSnippets region=...}} tag whose inline copy
 * javadoc checks against it. The parameters and the fields and stubs are what an example takes
 * for granted; the examples use only the public API, as a user's code would.
 */
final class CoreSnippets {

    /** The asynchronous backend client of the first example. */
    interface Client {
        CompletableFuture<String> sendAsync(String request);
    }

    private final Client client;
    private final String request;

    private CoreSnippets(Client client, String request) {
        this.client = client;
        this.request = request;
    }

    void semaphore() throws InterruptedException {
        // @start region=semaphore :
        Semaphore semaphore = Semaphore.of(2);             // like asyncio.Semaphore(2)

        try (Permit permit = semaphore.acquirePermit()) {  // blocking; cheap on virtual threads
            callTheBackend();
        }

        semaphore.withPermitAsync(() -> client.sendAsync(request))   // async; released when done
                 .thenAccept(this::handle);
        // @end
    }

    private void handle(String response) {}

    static void builder() {
        // @start region=builder :
        Semaphore db = Semaphore.builder(10).name("db").maxWaiters(1_000).build();
        // @end
    }

    static void snapshot(Semaphore semaphore, Log log) {
        // @start region=snapshot :
        SemaphoreSnapshot snapshot = semaphore.snapshot();
        if (snapshot.oldestWait().compareTo(Duration.ofSeconds(5)) > 0) {
            log.warn("stuck on {}: held by {}", snapshot.name(), snapshot.holders());
        }
        // @end
    }

    static void builderOptions() {
        // @start region=builder-options :
        Semaphore db = Semaphore.builder(10)
                .name("db")
                .maxWaiters(1_000)                        // shed load instead of queueing forever
                .recordTotals(true)                       // granted, cancelled, timed out... in snapshots
                .trackHolders(true)                       // who holds which Permit, since when
                .detectLeaks(100)                         // check about one Permit in 100 for leaks
                .reportLongWaits(Duration.ofMillis(50))   // JFR event for waits of 50 ms or more
                .build();
        // @end
    }

    static void listener() {
        // @start region=listener :
        LongAdder rejected = new LongAdder();
        Semaphore semaphore = Semaphore.builder(10)
                .maxWaiters(100)
                .listener(new SemaphoreListener() {
                    @Override
                    public void onAcquire(int permits, Outcome outcome, Duration waited) {
                        if (outcome == Outcome.REJECTED) {
                            rejected.increment();
                        }
                    }
                })
                .build();
        // @end
    }

    static void permit(Semaphore semaphore) throws InterruptedException {
        // @start region=permit :
        try (Permit permit = semaphore.acquirePermit()) {
            callTheBackend();
        }
        // @end
    }

    static void machineSemaphore() throws Exception {
        // @start region=machine-semaphore :
        try (MachineSemaphore builds = MachineSemaphore.open("builds", 2)) {
            try (Permit permit = builds.acquirePermit()) {    // waits while two processes build
                runTheBuild();
            }
        }
        // @end
    }

    static void boundedSemaphore() throws InterruptedException {
        // @start region=bounded-semaphore :
        BoundedSemaphore semaphore = BoundedSemaphore.of(2);
        semaphore.acquire();
        semaphore.release();
        semaphore.release();   // IllegalStateException: released too many times ...
        // @end
    }

    static void setMaxPermits() {
        // @start region=set-max-permits :
        BoundedSemaphore db = BoundedSemaphore.of(20);
        db.setMaxPermits(5);   // returns at once; the 15 held above the new maximum are paid back as released
        // @end
    }

    /** The logger the snapshot example writes to, shaped like SLF4J's. */
    interface Log {
        void warn(String format, Object... arguments);
    }

    private static void callTheBackend() {}

    private static void runTheBuild() {}
}
