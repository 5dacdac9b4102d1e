package dev.signalbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Counts permits after rounds in which acquirers, cancellers and releasers race an operator who
 * pauses, resumes, resizes and (every fourth round) closes the semaphore; every other round with
 * observation on, whose totals must match the workers' books. Every worker keeps book
 * of what it holds; when a round ends, everyone gives back what they hold, the maximum is set back,
 * and the semaphore must have exactly its maximum available and nobody queued — a permit lost or
 * granted twice anywhere in the round shows up as a difference here.
 *
 * <p>Scaled by {@code -Dsignalbox.stress.scale} (rounds and the time limit); at scale 1 it stops
 * starting rounds after about 15 s.
 */
@Tag("stress")
class OperatingRacesTest {

    private static final int SCALE = Integer.getInteger("signalbox.stress.scale", 1);
    private static final int MAX = 4;
    private static final int WORKERS = 3;
    private static final int OPS_PER_WORKER = 3_000;
    private static final int ROUNDS = 400 * SCALE;
    private static final Duration TIME_LIMIT = Duration.ofSeconds(15L * SCALE);

    private final LongAdder grants = new LongAdder();
    private final LongAdder cancels = new LongAdder();
    private final LongAdder failures = new LongAdder();

    @Test
    void permitsBalanceAfterRacingAcquireCancelAndReleaseWithPauseResizeAndClose() throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(WORKERS + 1);
        long deadline = System.nanoTime() + TIME_LIMIT.toNanos();
        int rounds = 0;
        try {
            while (rounds < ROUNDS && System.nanoTime() - deadline < 0) {
                playRound(threads, rounds, new SplittableRandom(rounds));
                rounds++;
            }
        } finally {
            threads.shutdownNow();
            assertThat(threads.awaitTermination(Await.TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        }
        System.out.printf("%d rounds: %d grants, %d cancels, %d failed waits%n",
                rounds, grants.sum(), cancels.sum(), failures.sum());
        assertThat(rounds).isPositive();
        assertThat(grants.sum()).isPositive();
        assertThat(cancels.sum()).isPositive();
    }

    private void playRound(ExecutorService threads, int round, SplittableRandom random) throws Exception {
        // Every other round is observed: the accounting must hold with the recorder on, and its totals
        // must agree with what the workers booked.
        boolean observed = round % 2 == 0;
        Semaphore.Builder builder = Semaphore.builder(MAX).maxWaiters(32);
        if (observed) {
            builder.recordTotals(true).trackHolders(true).detectLeaks(16);
        }
        BoundedSemaphore semaphore = builder.buildBounded();
        boolean closing = round % 4 == 3;
        long grantsBefore = grants.sum();
        long cancelsBefore = cancels.sum();
        CyclicBarrier start = new CyclicBarrier(WORKERS + 1);
        AtomicBoolean workersDone = new AtomicBoolean();
        AtomicInteger progress = new AtomicInteger();
        List<Future<?>> workers = new ArrayList<>();
        for (int w = 0; w < WORKERS; w++) {
            Worker worker = new Worker(semaphore, random.split(), progress);
            workers.add(threads.submit(() -> {
                start.await();
                worker.play();
                return null;
            }));
        }
        SplittableRandom operatorRandom = random.split();
        Future<?> operator = threads.submit(() -> {
            start.await();
            operate(semaphore, operatorRandom, workersDone, closing ? progress : null);
            return null;
        });
        try {
            for (Future<?> worker : workers) {
                worker.get(Await.TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            }
        } finally {
            workersDone.set(true);
        }
        operator.get(Await.TIMEOUT.toSeconds(), TimeUnit.SECONDS);

        semaphore.setMaxPermits(MAX);
        semaphore.resume();
        assertThat(semaphore.availablePermits()).as("round %d: available once everything was given back", round)
                .isEqualTo(MAX);
        assertThat(semaphore.queueLength()).as("round %d: waiters left", round).isZero();
        assertThat(semaphore.isClosed()).isEqualTo(closing);
        if (observed) {
            SemaphoreSnapshot snapshot = semaphore.snapshot();
            assertThat(snapshot.holders()).as("round %d: holders left", round).isEmpty();
            SemaphoreSnapshot.Totals totals = snapshot.totals().orElseThrow();
            assertThat(totals.granted()).as("round %d: grants counted", round).isEqualTo(grants.sum() - grantsBefore);
            assertThat(totals.cancelled()).as("round %d: cancels counted", round).isEqualTo(cancels.sum() - cancelsBefore);
        }
        if (!closing) {
            assertThat(semaphore.tryAcquire(MAX)).isTrue();
        }
    }

    /** Operates until the workers are done; closes halfway through their work if {@code progress} is given. */
    private static void operate(BoundedSemaphore semaphore, SplittableRandom random, AtomicBoolean workersDone,
            AtomicInteger progress) {
        while (!workersDone.get()) {
            switch (random.nextInt(4)) {
                case 0 -> semaphore.pause();
                case 1 -> semaphore.resume();
                case 2 -> semaphore.setMaxPermits(1 + random.nextInt(MAX + 2));
                default -> {
                    SemaphoreSnapshot snapshot = semaphore.snapshot();
                    assertThat(snapshot.waiters()).isBetween(0, 32);
                    assertThat(snapshot.availablePermits()).isLessThanOrEqualTo(snapshot.maxPermits().orElseThrow());
                }
            }
            if (progress != null && progress.get() >= WORKERS * OPS_PER_WORKER / 2) {
                semaphore.fail(new IllegalStateException("closed by the operator"));
            }
            // Let the workers run between operations: an operator that never pauses starves them.
            Thread.yield();
        }
        semaphore.resume();
    }

    /** One racing client: books every permit it is granted and gives them all back at the end. */
    private final class Worker {

        private final BoundedSemaphore semaphore;
        private final SplittableRandom random;
        private final List<CompletableFuture<Void>> pending = new ArrayList<>();
        private final List<Integer> pendingPermits = new ArrayList<>();
        private final List<CompletableFuture<Permit>> pendingHandles = new ArrayList<>();
        private int held;
        private final List<Permit> handles = new ArrayList<>();
        private final AtomicInteger progress;

        Worker(BoundedSemaphore semaphore, SplittableRandom random, AtomicInteger progress) {
            this.semaphore = semaphore;
            this.random = random;
            this.progress = progress;
        }

        void play() throws InterruptedException {
            for (int op = 0; op < OPS_PER_WORKER; op++) {
                progress.incrementAndGet();
                switch (random.nextInt(7)) {
                    case 0 -> acquireAsync(1 + random.nextInt(2));
                    case 1 -> acquirePermitAsync();
                    case 2 -> cancelOne();
                    case 3 -> settle();
                    case 4 -> releaseOne();
                    case 5 -> tryAcquire();
                    default -> tryAcquireBriefly();
                }
            }
            giveEverythingBack();
        }

        private void acquireAsync(int permits) {
            try {
                pending.add(semaphore.acquireAsync(permits));
                pendingPermits.add(permits);
            } catch (IllegalArgumentException aboveTheCurrentMaximum) {
                // refused at once: nothing to book
            }
        }

        private void acquirePermitAsync() {
            pendingHandles.add(semaphore.acquirePermitAsync());
        }

        private void cancelOne() {
            if (!pending.isEmpty()) {
                int i = random.nextInt(pending.size());
                if (pending.get(i).cancel(false)) {
                    cancels.increment();
                    pending.remove(i);
                    pendingPermits.remove(i);
                }
            } else if (!pendingHandles.isEmpty()) {
                int i = random.nextInt(pendingHandles.size());
                if (pendingHandles.get(i).cancel(false)) {
                    cancels.increment();
                    pendingHandles.remove(i);
                }
            }
        }

        /** Books the pending requests that have been granted or failed. */
        private void settle() {
            for (int i = pending.size() - 1; i >= 0; i--) {
                CompletableFuture<Void> future = pending.get(i);
                if (future.isDone()) {
                    book(future, pendingPermits.get(i));
                    pending.remove(i);
                    pendingPermits.remove(i);
                }
            }
            for (Iterator<CompletableFuture<Permit>> it = pendingHandles.iterator(); it.hasNext(); ) {
                CompletableFuture<Permit> future = it.next();
                if (future.isDone()) {
                    bookHandle(future);
                    it.remove();
                }
            }
        }

        private void book(CompletableFuture<Void> future, int permits) {
            if (future.isCompletedExceptionally()) {
                failures.increment();
            } else {
                held += permits;
                grants.increment();
            }
        }

        private void bookHandle(CompletableFuture<Permit> future) {
            if (future.isCompletedExceptionally()) {
                failures.increment();
            } else {
                handles.add(future.join());
                grants.increment();
            }
        }

        private void releaseOne() {
            if (held > 0 && (handles.isEmpty() || random.nextBoolean())) {
                int permits = 1 + random.nextInt(held);
                semaphore.release(permits); // never refused: we hold them, so the count stays within the bound
                held -= permits;
            } else if (!handles.isEmpty()) {
                handles.remove(handles.size() - 1).close();
            }
        }

        private void tryAcquire() {
            try {
                if (semaphore.tryAcquire()) {
                    held++;
                    grants.increment();
                }
            } catch (SemaphoreClosedException closed) {
                failures.increment();
            }
        }

        private void tryAcquireBriefly() throws InterruptedException {
            try {
                if (semaphore.tryAcquire(1, Duration.ofNanos(20_000))) {
                    held++;
                    grants.increment();
                }
            } catch (SemaphoreClosedException | TooManyWaitersException failed) {
                failures.increment();
            }
        }

        /** Withdraws or books every pending request, then releases everything held. */
        private void giveEverythingBack() {
            for (int i = 0; i < pending.size(); i++) {
                CompletableFuture<Void> future = pending.get(i);
                if (future.cancel(false)) {
                    cancels.increment();
                } else {
                    awaitOutcome(future);
                    book(future, pendingPermits.get(i));
                }
            }
            for (CompletableFuture<Permit> future : pendingHandles) {
                if (future.cancel(false)) {
                    cancels.increment();
                } else {
                    awaitOutcome(future);
                    bookHandle(future);
                }
            }
            if (held > 0) {
                semaphore.release(held);
            }
            handles.forEach(Permit::close);
        }

        /** A grant (or failure) that won the race with cancel is delivered just after: wait for it. */
        private static void awaitOutcome(CompletableFuture<?> future) {
            try {
                future.get(Await.TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            } catch (ExecutionException failed) {
                // booked as a failure by the caller
            } catch (Exception e) {
                throw new AssertionError("a request that could not be cancelled never completed: " + future, e);
            }
        }
    }
}
