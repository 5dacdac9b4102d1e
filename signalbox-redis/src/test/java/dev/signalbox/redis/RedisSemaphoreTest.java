package dev.signalbox.redis;

import static dev.signalbox.redis.testing.Await.WAIT;
import static java.util.concurrent.TimeUnit.MILLISECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.TestReporter;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.signalbox.Permit;
import dev.signalbox.PermitSource;
import dev.signalbox.Semaphore;
import dev.signalbox.redis.testing.Await;
import dev.signalbox.redis.testing.FenceObserver;
import dev.signalbox.redis.testing.RedisServer;
import dev.signalbox.redis.testing.RedisServerExtension;
import io.lettuce.core.AclSetuserArgs;

@Tag("redis")
@ExtendWith(RedisServerExtension.class)
class RedisSemaphoreTest {

    private final RedisServer server;
    private final String name;
    private final List<RedisSemaphoreClient> clients = new ArrayList<>();

    RedisSemaphoreTest(RedisServer server, TestInfo test) {
        this.server = server;
        this.name = test.getTestMethod().orElseThrow().getName() + "-" + System.nanoTime();
    }

    /** A client with short timings: leases of 1 s, rechecks every 250 ms. */
    private RedisSemaphoreClient client() {
        return track(RedisSemaphoreClient.builder(server.uri()).leaseTtl(Duration.ofSeconds(1))
                .waiterTtl(Duration.ofSeconds(1)).recheckInterval(Duration.ofMillis(250))
                .commandTimeout(Duration.ofSeconds(1)).build());
    }

    private RedisSemaphoreClient track(RedisSemaphoreClient client) {
        clients.add(client);
        return client;
    }

    @AfterEach
    void closeClients() {
        clients.forEach(RedisSemaphoreClient::close);
    }

    private static LeasedPermit get(CompletableFuture<LeasedPermit> future) throws Exception {
        return future.get(WAIT.toMillis(), MILLISECONDS);
    }

    private void awaitWaiters(RedisSemaphore semaphore, int count) throws InterruptedException {
        Await.until(count + " waiters queued", () -> semaphore.snapshot().waiters().size() == count);
    }

    private void awaitAllFree(RedisSemaphore semaphore) throws InterruptedException {
        Await.until("all permits back and nobody queued", () -> {
            RedisSemaphoreSnapshot s = semaphore.snapshot();
            return s.availablePermits() == s.maxPermits() && s.waiters().isEmpty() && s.holders().isEmpty();
        });
    }

    @Nested
    class Cost {

        @Test
        void aFreePermitCostsOneScriptCallAndSoDoesItsRelease(TestReporter reporter) throws Exception {
            // Default 30 s lease: no renewal falls inside the measurement.
            RedisSemaphore semaphore = track(RedisSemaphoreClient.of(server.uri())).semaphore(name, 2);
            semaphore.acquirePermit().releaseAsync().get(WAIT.toMillis(), MILLISECONDS); // scripts cached

            long evalBefore = server.calls("eval");
            long before = server.calls("evalsha") + evalBefore;
            LeasedPermit permit = semaphore.acquirePermit();
            long afterAcquire = server.calls("evalsha") + server.calls("eval");
            permit.releaseAsync().get(WAIT.toMillis(), MILLISECONDS);
            long afterRelease = server.calls("evalsha") + server.calls("eval");

            assertThat(afterAcquire - before).as("script calls to take a free permit").isEqualTo(1);
            assertThat(afterRelease - afterAcquire).as("script calls to release it").isEqualTo(1);
            assertThat(server.calls("eval")).as("EVAL only after NOSCRIPT, never here").isEqualTo(evalBefore);

            int pairs = 500;
            long start = System.nanoTime();
            for (int i = 0; i < pairs; i++) {
                semaphore.acquirePermit().releaseAsync().get(WAIT.toMillis(), MILLISECONDS);
            }
            long micros = (System.nanoTime() - start) / 1000 / pairs;
            reporter.publishEntry("measured", "acquire + confirmed release of a free permit, one thread: " + micros
                    + " us per pair");
        }

        @Test
        void aWaiterIsWokenByItsNotificationNotByTheRecheck(TestReporter reporter) throws Exception {
            // A 10 s recheck: only the notification can wake the waiter in time.
            RedisSemaphoreClient client = track(RedisSemaphoreClient.builder(server.uri())
                    .recheckInterval(Duration.ofSeconds(10)).waiterTtl(Duration.ofSeconds(30)).build());
            RedisSemaphore semaphore = client.semaphore(name, 1);
            RedisSemaphore other = client().semaphore(name, 1);
            LeasedPermit held = other.acquirePermit();
            CompletableFuture<LeasedPermit> waiter = semaphore.acquireLeaseAsync(1);
            awaitWaiters(semaphore, 1);

            long released = System.nanoTime();
            held.close();
            LeasedPermit granted = waiter.get(2, TimeUnit.SECONDS);
            long handOffMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - released);

            assertThat(granted.isValid()).isTrue();
            assertThat(handOffMs).as("hand-off latency, ms").isLessThan(1000);
            reporter.publishEntry("measured", "hand-off from release to a waiter in another client: " + handOffMs + " ms");
        }
    }

    @Nested
    class Fairness {

        @Test
        void servesWaitersInArrivalOrderAcrossClients() throws Exception {
            List<RedisSemaphore> handles = List.of(client().semaphore(name, 1), client().semaphore(name, 1),
                    client().semaphore(name, 1));
            LeasedPermit held = handles.get(0).acquirePermit();
            List<Integer> order = new CopyOnWriteArrayList<>();
            List<CompletableFuture<?>> done = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                int index = i;
                done.add(handles.get(i % 3).acquireLeaseAsync(1).thenAccept(permit -> {
                    order.add(index);
                    permit.close();
                }));
                awaitWaiters(handles.get(0), i + 1);
            }

            held.close();
            CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)).get(WAIT.toMillis(), MILLISECONDS);

            assertThat(order).containsExactly(0, 1, 2, 3, 4, 5);
        }

        @Test
        void requestsMadeWhileTheClientStillConnectsAreServedInCallOrder() throws Exception {
            RedisSemaphore fresh = client().semaphore(name, 1); // connects on first use
            List<Integer> order = new CopyOnWriteArrayList<>();
            List<CompletableFuture<?>> done = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                int index = i;
                done.add(fresh.acquireLeaseAsync(1).thenAccept(permit -> {
                    order.add(index);
                    permit.close();
                }));
            }
            CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)).get(WAIT.toMillis(), MILLISECONDS);

            assertThat(order).containsExactly(0, 1, 2, 3, 4, 5);
        }

        @Test
        void aLargeRequestAtTheHeadHoldsBackSmallerOnes() throws Exception {
            RedisSemaphore semaphore = client().semaphore(name, 3);
            LeasedPermit two = semaphore.acquirePermit(2);
            CompletableFuture<LeasedPermit> large = semaphore.acquireLeaseAsync(3);
            awaitWaiters(semaphore, 1);
            CompletableFuture<LeasedPermit> small = client().semaphore(name, 3).acquireLeaseAsync(1);
            awaitWaiters(semaphore, 2);

            assertThat(semaphore.snapshot().availablePermits()).isEqualTo(1);
            assertThat(small).isNotDone();

            two.close();
            LeasedPermit three = get(large);
            assertThat(three.permits()).isEqualTo(3);
            assertThat(semaphore.snapshot().waiters()).hasSize(1);
            assertThat(small).isNotDone();

            three.close();
            assertThat(get(small).permits()).isEqualTo(1);
        }

        @Test
        void tryAcquireNeverOvertakesAWaiter() throws Exception {
            RedisSemaphore semaphore = client().semaphore(name, 2);
            LeasedPermit one = semaphore.acquirePermit();
            CompletableFuture<LeasedPermit> two = semaphore.acquireLeaseAsync(2);
            awaitWaiters(semaphore, 1);

            assertThat(client().semaphore(name, 2).tryAcquirePermit(1, Duration.ZERO)).isEmpty();

            one.close();
            assertThat(get(two).permits()).isEqualTo(2);
        }

        @Test
        void contendingClientsNeverHaveMoreThanMaxUnitsInside() throws Exception {
            int max = 3;
            FenceObserver observer = new FenceObserver(max);
            List<RedisSemaphore> handles = List.of(client().semaphore(name, max), client().semaphore(name, max),
                    client().semaphore(name, max), client().semaphore(name, max));
            List<CompletableFuture<Void>> workers = new ArrayList<>();
            for (int w = 0; w < 12; w++) {
                RedisSemaphore semaphore = handles.get(w % handles.size());
                String who = "worker-" + w;
                workers.add(CompletableFuture.runAsync(() -> {
                    for (int round = 0; round < 15; round++) {
                        int weight = 1 + ThreadLocalRandom.current().nextInt(2);
                        try (LeasedPermit permit = semaphore.acquirePermit(weight)) {
                            if (observer.enter(who, permit)) {
                                Thread.onSpinWait();
                                observer.exit(permit);
                            }
                        } catch (InterruptedException e) {
                            throw new IllegalStateException(e);
                        }
                    }
                }, java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()));
            }
            CompletableFuture.allOf(workers.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);

            assertThat(observer.violations()).isEmpty();
            assertThat(observer.entries()).hasSize(12 * 15);
            awaitAllFree(handles.get(0));
        }
    }

    @Nested
    class Leases {

        @Test
        void fencingTokensIncreaseStrictlyWithEveryGrant() throws Exception {
            RedisSemaphore semaphore = client().semaphore(name, 2);
            RedisSemaphore other = client().semaphore(name, 2);
            List<Long> tokens = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                LeasedPermit a = semaphore.acquirePermit();
                LeasedPermit b = other.acquirePermit();
                tokens.add(a.fencingToken());
                tokens.add(b.fencingToken());
                a.close();
                b.close();
            }
            for (int i = 1; i < tokens.size(); i++) {
                assertThat(tokens.get(i)).as("token %d", i).isGreaterThan(tokens.get(i - 1));
            }
        }

        @Test
        void aHolderKeepsItsPermitPastTheTtlWhileItsClientRenews() throws Exception {
            RedisSemaphore semaphore = client().semaphore(name, 1);
            LeasedPermit permit = semaphore.acquirePermit();

            // Three lease TTLs pass while another client waits in vain.
            assertThat(client().semaphore(name, 1).tryAcquirePermit(1, Duration.ofSeconds(3))).isEmpty();

            assertThat(permit.isValid()).isTrue();
            assertThat(permit.lost().toCompletableFuture()).isNotDone();
            assertThat(semaphore.snapshot().holders()).extracting(RedisSemaphoreSnapshot.Holder::id)
                    .containsExactly(permit.id());
        }

        @Test
        void aSnapshotShowsWhoHoldsAndWhoWaitsAndSinceWhen() throws Exception {
            RedisSemaphore a = track(RedisSemaphoreClient.builder(server.uri()).label("4242@build-7: make all").build())
                    .semaphore(name, 2);
            RedisSemaphore b = track(RedisSemaphoreClient.builder(server.uri()).label("worker b").build())
                    .semaphore(name, 2);
            java.time.Instant before = java.time.Instant.now().minusSeconds(5); // same machine, same clock
            LeasedPermit held = a.acquirePermit(2);
            CompletableFuture<LeasedPermit> waiting = b.acquireLeaseAsync(1);
            awaitWaiters(a, 1);

            RedisSemaphoreSnapshot snapshot = a.snapshot();

            assertThat(snapshot.availablePermits()).isZero();
            assertThat(snapshot.holders()).singleElement().satisfies(h -> {
                assertThat(h.id()).isEqualTo(held.id());
                assertThat(h.permits()).isEqualTo(2);
                assertThat(h.fencingToken()).isEqualTo(held.fencingToken());
                assertThat(h.label()).isEqualTo("4242@build-7: make all");
                assertThat(h.since()).isBetween(before, java.time.Instant.now().plusSeconds(5));
                assertThat(h.remaining()).isPositive().isLessThanOrEqualTo(Duration.ofSeconds(30));
            });
            assertThat(snapshot.waiters()).singleElement().satisfies(w -> {
                assertThat(w.permits()).isEqualTo(1);
                assertThat(w.label()).isEqualTo("worker b");
                assertThat(w.since()).isBetween(before, java.time.Instant.now().plusSeconds(5));
            });
            held.close();
            get(waiting).close();
        }

        @Test
        void closingTwiceReleasesOnce() throws Exception {
            RedisSemaphore semaphore = client().semaphore(name, 2);
            LeasedPermit permit = semaphore.acquirePermit();
            LeasedPermit other = semaphore.acquirePermit();
            permit.close();
            permit.close();
            permit.releaseAsync().get(WAIT.toMillis(), MILLISECONDS);

            assertThat(permit.isReleased()).isTrue();
            assertThat(permit.isValid()).isFalse();
            assertThat(semaphore.snapshot().availablePermits()).isEqualTo(1);
            other.close();
        }

        @Test
        void closingTheClientReleasesItsPermitsAndWithdrawsItsWaiters() throws Exception {
            RedisSemaphoreClient leaving = client();
            RedisSemaphore semaphore = leaving.semaphore(name, 2);
            RedisSemaphore staying = client().semaphore(name, 2);
            semaphore.acquirePermit(2);
            CompletableFuture<LeasedPermit> leavingWaiter = semaphore.acquireLeaseAsync(1);
            awaitWaiters(staying, 1);
            CompletableFuture<LeasedPermit> stayingWaiter = staying.acquireLeaseAsync(2);
            awaitWaiters(staying, 2);

            leaving.close();

            assertThat(get(stayingWaiter).permits()).isEqualTo(2);
            assertThat(leavingWaiter).isCancelled();
            assertThat(staying.snapshot().holders()).hasSize(1);
        }
    }

    @Nested
    class Cancellation {

        @Test
        void aTimedAcquireTimesOutEmptyAndLeavesNoTrace() throws Exception {
            RedisSemaphore semaphore = client().semaphore(name, 1);
            LeasedPermit held = semaphore.acquirePermit();
            long start = System.nanoTime();

            Optional<Permit> none = client().semaphore(name, 1).tryAcquirePermit(1, Duration.ofMillis(300));

            long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertThat(none).isEmpty();
            assertThat(tookMs).isBetween(300L, 1300L);
            awaitWaiters(semaphore, 0);
            held.close();
            awaitAllFree(semaphore);
        }

        @Test
        void anInterruptedAcquireWithdrawsItsRequest() throws Exception {
            RedisSemaphore semaphore = client().semaphore(name, 1);
            LeasedPermit held = semaphore.acquirePermit();
            AtomicReference<Throwable> outcome = new AtomicReference<>();
            Thread waiter = Thread.ofVirtual().start(() -> {
                try {
                    semaphore.acquirePermit().close();
                } catch (Throwable t) {
                    outcome.set(t);
                }
            });
            awaitWaiters(semaphore, 1);

            waiter.interrupt();
            waiter.join(WAIT.toMillis());

            assertThat(outcome.get()).isInstanceOf(InterruptedException.class);
            awaitWaiters(semaphore, 0);
            held.close();
            awaitAllFree(semaphore);
        }

        @Test
        void cancellationsRacingGrantsNeverLeakOrDoubleGrantAPermit(TestReporter reporter) throws Exception {
            int max = 2;
            FenceObserver observer = new FenceObserver(max);
            RedisSemaphore a = client().semaphore(name, max);
            RedisSemaphore b = client().semaphore(name, max);
            int cancelsThatLost = 0;
            for (int round = 0; round < 40; round++) {
                LeasedPermit first = a.acquirePermit();
                LeasedPermit second = b.acquirePermit();
                List<CompletableFuture<LeasedPermit>> waiters = new ArrayList<>();
                for (int i = 0; i < 4; i++) {
                    waiters.add((i % 2 == 0 ? a : b).acquireLeaseAsync(1));
                }
                // Release and cancel at once, in random order, so grants race cancellations.
                List<Runnable> moves = new ArrayList<>(List.of(first::close, second::close));
                for (CompletableFuture<LeasedPermit> waiter : waiters) {
                    moves.add(() -> waiter.cancel(false));
                }
                java.util.Collections.shuffle(moves);
                for (Runnable move : moves) {
                    move.run();
                    // Up to about a round trip apart, so some grants arrive before their cancel.
                    java.util.concurrent.locks.LockSupport.parkNanos(ThreadLocalRandom.current().nextLong(400_000));
                }
                for (CompletableFuture<LeasedPermit> waiter : waiters) {
                    try {
                        LeasedPermit permit = get(waiter);
                        cancelsThatLost++;
                        assertThat(observer.enter("round-" + round, permit)).isTrue();
                        observer.exit(permit);
                        permit.close();
                    } catch (CancellationException expected) {
                        // withdrawn: its permits go to the next waiter
                    }
                }
            }
            assertThat(observer.violations()).isEmpty();
            awaitAllFree(a);
            reporter.publishEntry("measured", "cancellation race: grants that beat the cancel: " + cancelsThatLost + " of 160");
        }
    }

    @Nested
    class Errors {

        @Test
        void aDifferentMaximumIsAClearError() throws Exception {
            client().semaphore(name, 2).acquirePermit().close();
            RedisSemaphore wrong = client().semaphore(name, 3);

            assertThatThrownBy(wrong::acquirePermit).isInstanceOfSatisfying(MaxPermitsMismatchException.class, e -> {
                assertThat(e.storedMaxPermits()).isEqualTo(2);
                assertThat(e.requestedMaxPermits()).isEqualTo(3);
                assertThat(e).hasMessageContaining(name).hasMessageContaining("maxPermits 2");
            });
            assertThatThrownBy(() -> wrong.tryAcquirePermit(1, Duration.ofSeconds(1)))
                    .isInstanceOf(MaxPermitsMismatchException.class);
        }

        @Test
        void aKeyOfTheWrongTypeIsAClearErrorAndIsLeftAlone() {
            String queueKey = "signalbox:{" + name + "}:queue";
            server.admin().set(queueKey, "someone else's");
            RedisSemaphore semaphore = client().semaphore(name, 2);

            assertThatThrownBy(semaphore::acquirePermit).isInstanceOfSatisfying(ForeignStateException.class, e -> {
                assertThat(e.key()).isEqualTo(queueKey);
                assertThat(e).hasMessageContaining("string");
            });
            assertThatThrownBy(semaphore::snapshot).isInstanceOf(ForeignStateException.class);
            assertThat(server.admin().get(queueKey)).isEqualTo("someone else's");
            assertThat(server.admin().exists("signalbox:{" + name + "}:meta")).isZero();
        }

        @Test
        void anUnreachableServerFailsWithinTheCommandTimeout() throws Exception {
            RedisSemaphore semaphore = track(RedisSemaphoreClient.builder("redis://127.0.0.1:" + RedisServer.freePort())
                    .commandTimeout(Duration.ofSeconds(1)).build()).semaphore(name, 1);
            long start = System.nanoTime();

            assertThatThrownBy(semaphore::acquirePermit).isInstanceOf(RedisUnavailableException.class)
                    .hasMessageContaining("127.0.0.1");
            assertThatThrownBy(() -> semaphore.tryAcquirePermit(1, Duration.ofSeconds(30)))
                    .isInstanceOf(RedisUnavailableException.class);

            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(2 * 2500L);
        }

        @Test
        void aServerThatNeverAnswersFailsWithinTheCommandTimeout() throws Exception {
            try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
                List<Socket> accepted = new CopyOnWriteArrayList<>();
                Thread acceptor = Thread.ofVirtual().start(() -> {
                    try {
                        while (true) {
                            accepted.add(silent.accept()); // accept, and never answer
                        }
                    } catch (java.io.IOException closed) {
                        // the test is over
                    }
                });
                RedisSemaphore semaphore = track(RedisSemaphoreClient.builder("redis://127.0.0.1:" + silent.getLocalPort())
                        .commandTimeout(Duration.ofSeconds(1)).build()).semaphore(name, 1);
                long start = System.nanoTime();

                assertThatThrownBy(() -> semaphore.tryAcquirePermit(1, Duration.ofSeconds(30)))
                        .isInstanceOf(RedisUnavailableException.class);

                assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(3500L);
                silent.close(); // ends the acceptor before the sockets it accepted are closed
                acceptor.join(WAIT.toMillis());
                for (Socket socket : accepted) {
                    socket.close();
                }
            }
        }

        @Test
        void aWrongPasswordFailsAtOnceWithAnAuthenticationError() throws Exception {
            server.admin().aclSetuser("alice", AclSetuserArgs.Builder.on().addPassword("right").allKeys()
                    .allChannels().allCommands());
            RedisSemaphore wrong = track(RedisSemaphoreClient.builder("redis://alice:wrong@127.0.0.1:" + server.port())
                    .commandTimeout(Duration.ofSeconds(5)).build()).semaphore(name, 1);
            long start = System.nanoTime();

            assertThatThrownBy(wrong::acquirePermit).isInstanceOf(RedisAuthenticationException.class)
                    .hasMessageContaining("WRONGPASS");
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).as("no retry until the timeout")
                    .isLessThan(2000L);

            RedisSemaphore right = track(RedisSemaphoreClient.of("redis://alice:right@127.0.0.1:" + server.port()))
                    .semaphore(name, 1);
            right.acquirePermit().close();
        }

        @Test
        void badArgumentsFailAtOnceNamingTheValue() {
            RedisSemaphoreClient client = client();
            RedisSemaphore semaphore = client.semaphore(name, 2);

            assertThatThrownBy(() -> semaphore.acquirePermit(0)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("permits must be positive, got 0");
            assertThatThrownBy(() -> semaphore.acquireLeaseAsync(3)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("permits must not exceed maxPermits 2, got 3");
            assertThatThrownBy(() -> semaphore.tryAcquirePermit(1, null)).isInstanceOf(NullPointerException.class)
                    .hasMessage("timeout");
            assertThatThrownBy(() -> client.semaphore("has space", 1)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("'has space'");
            assertThatThrownBy(() -> client.semaphore("{tag}", 1)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> client.semaphore(name, 0)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("maxPermits must be positive, got 0");
            assertThatThrownBy(() -> client.semaphore(name, 1, Duration.ofMillis(100)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessage("leaseTtl must be at least 500ms, got PT0.1S");
            assertThatThrownBy(() -> RedisSemaphoreClient.builder("redis://h").waiterTtl(Duration.ZERO))
                    .isInstanceOf(IllegalArgumentException.class).hasMessage("waiterTtl must be positive, got PT0S");
            assertThatThrownBy(() -> RedisSemaphoreClient.builder("redis://h").label("two\nlines"))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("label");
            assertThatThrownBy(() -> RedisSemaphoreClient.builder("nonsense://").build())
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("redisUri");
        }

        @Test
        void aClosedClientRefusesNewRequestsAndCloseIsIdempotent() {
            RedisSemaphoreClient client = client();
            RedisSemaphore semaphore = client.semaphore(name, 1);
            client.close();
            client.close();

            assertThatThrownBy(semaphore::acquirePermit).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("closed");
            assertThatThrownBy(() -> client.semaphore(name, 1)).isInstanceOf(IllegalStateException.class);
        }

        @Test
        void callersCannotCompleteAnAcquireWithAValue() throws Exception {
            RedisSemaphore semaphore = client().semaphore(name, 1);
            LeasedPermit held = semaphore.acquirePermit();
            CompletableFuture<Permit> waiter = semaphore.acquirePermitAsync(1);

            assertThatThrownBy(() -> waiter.complete(held)).isInstanceOf(UnsupportedOperationException.class);
            waiter.cancel(false);
            held.close();
            awaitAllFree(semaphore);
        }
    }

    @Nested
    class SameCodeAsTheLocalSemaphore {

        /** Written for any PermitSource: runs unchanged on the local and the Redis semaphore. */
        private static List<String> job(PermitSource source) throws Exception {
            List<String> log = new ArrayList<>();
            log.add(source.withPermit(() -> "ran"));
            try (Permit permit = source.acquirePermit(2)) {
                log.add("held " + permit.permits());
                log.add("try while held: " + source.tryAcquirePermit(Duration.ZERO).isPresent());
            }
            log.add("async: " + source.withPermitAsync(() -> CompletableFuture.completedFuture("done"))
                    .get(WAIT.toMillis(), MILLISECONDS));
            return log;
        }

        @Test
        void codeWrittenForPermitSourceBehavesTheSameOnRedis() throws Exception {
            assertThat(job(client().semaphore(name, 2))).isEqualTo(job(Semaphore.of(2)))
                    .containsExactly("ran", "held 2", "try while held: false", "async: done");
        }
    }

    /** Issue 6, "Operating": resize and pause, server-side and seen alike by every client. */
    @Nested
    class Operating {

        /** The deadline of the only lease, on this JVM's nanoTime scale. */
        private long leaseDeadline(RedisSemaphore semaphore) {
            return System.nanoTime() + semaphore.snapshot().holders().get(0).remaining().toNanos();
        }

        private void release(LeasedPermit permit) throws Exception {
            permit.releaseAsync().get(WAIT.toMillis(), MILLISECONDS);
        }

        /** Renews and rechecks so seldom that within a test only the scripts' own notifications grant. */
        private RedisSemaphoreClient quietClient() {
            return track(RedisSemaphoreClient.builder(server.uri()).leaseTtl(Duration.ofSeconds(30))
                    .waiterTtl(Duration.ofSeconds(30)).recheckInterval(Duration.ofSeconds(10)).build());
        }

        /** Well under the quiet clients' 10 s recheck: a grant this fast came from the resize itself. */
        private LeasedPermit notified(CompletableFuture<LeasedPermit> future) throws Exception {
            return future.get(3, TimeUnit.SECONDS);
        }

        @Test
        void growingWakesWaitersOfEveryClientInArrivalOrder() throws Exception {
            RedisSemaphoreClient mine = quietClient();
            RedisSemaphoreClient theirs = quietClient();
            RedisSemaphore semaphore = mine.semaphore(name, 1);
            RedisSemaphore other = theirs.semaphore(name, 1);
            LeasedPermit held = semaphore.acquirePermit();
            CompletableFuture<LeasedPermit> first = other.acquireLeaseAsync(1);
            awaitWaiters(semaphore, 1);
            CompletableFuture<LeasedPermit> second = semaphore.acquireLeaseAsync(1);
            awaitWaiters(semaphore, 2);
            CompletableFuture<LeasedPermit> third = other.acquireLeaseAsync(1);
            awaitWaiters(semaphore, 3);

            semaphore.setMaxPermits(2);

            assertThat(notified(first).permits()).isEqualTo(1); // another client's waiter, opened with the old maximum
            assertThat(semaphore.snapshot().waiters()).extracting(RedisSemaphoreSnapshot.Waiter::clientId)
                    .containsExactly(mine.clientId(), theirs.clientId());
            assertThat(second).isNotDone();
            assertThat(third).isNotDone();

            semaphore.setMaxPermits(4);

            assertThat(notified(second).permits()).isEqualTo(1);
            assertThat(notified(third).permits()).isEqualTo(1);
            assertThat(semaphore.maxPermits()).isEqualTo(4);
            assertThat(semaphore.snapshot().availablePermits()).isZero();
            held.close();
        }

        @Test
        void shrinkingBelowWhatIsHeldReturnsAtOnceAndHoldersPayTheSurplusBack() throws Exception {
            RedisSemaphore semaphore = client().semaphore(name, 3);
            List<LeasedPermit> held = List.of(semaphore.acquirePermit(), semaphore.acquirePermit(),
                    semaphore.acquirePermit());

            semaphore.setMaxPermits(1); // returns while all three are held

            assertThat(semaphore.snapshot().availablePermits()).isEqualTo(-2);
            CompletableFuture<LeasedPermit> waiter = client().semaphore(name, 1).acquireLeaseAsync(1);
            awaitWaiters(semaphore, 1);
            release(held.get(0));
            assertThat(semaphore.snapshot()).satisfies(s -> {
                assertThat(s.availablePermits()).isEqualTo(-1);
                assertThat(s.waiters()).hasSize(1);
            });
            release(held.get(1));
            assertThat(semaphore.snapshot()).satisfies(s -> {
                assertThat(s.availablePermits()).isZero();
                assertThat(s.waiters()).hasSize(1);
            });
            assertThat(waiter).isNotDone();

            release(held.get(2));

            assertThat(get(waiter).permits()).isEqualTo(1);
            assertThat(semaphore.snapshot().availablePermits()).isZero();
        }

        @Test
        void aQueuedRequestAboveTheNewMaximumFailsAndTheRequestsBehindItAreServed() throws Exception {
            RedisSemaphore semaphore = quietClient().semaphore(name, 3);
            RedisSemaphore other = quietClient().semaphore(name, 3);
            LeasedPermit held = semaphore.acquirePermit(2);
            CompletableFuture<LeasedPermit> large = other.acquireLeaseAsync(3);
            awaitWaiters(semaphore, 1);
            CompletableFuture<LeasedPermit> small = other.acquireLeaseAsync(1);
            awaitWaiters(semaphore, 2);

            semaphore.setMaxPermits(2);

            assertThatThrownBy(() -> notified(large)).cause().isInstanceOfSatisfying(MaxPermitsLoweredException.class, e -> {
                assertThat(e.permits()).isEqualTo(3);
                assertThat(e.maxPermits()).isEqualTo(2);
                assertThat(e).hasMessageContaining(name).hasMessageContaining("maxPermits 2");
            });
            assertThat(semaphore.snapshot().waiters()).hasSize(1);
            assertThat(small).isNotDone(); // 2 of 2 are held
            release(held);
            assertThat(get(small).permits()).isEqualTo(1);
            assertThatThrownBy(() -> semaphore.acquirePermit(3)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("maxPermits 2").hasMessageContaining("got 3");
        }

        @Test
        void everyClientSeesTheNewMaximumAndOldHandlesGetAMismatchNamingBoth() throws Exception {
            RedisSemaphore semaphore = client().semaphore(name, 2);
            RedisSemaphore stale = client().semaphore(name, 2);
            LeasedPermit staleHeld = stale.acquirePermit();
            long deadlineBefore = leaseDeadline(stale);

            semaphore.setMaxPermits(5);

            assertThat(stale.snapshot().maxPermits()).isEqualTo(5);
            assertThat(client().semaphore(name, 5).snapshot().maxPermits()).isEqualTo(5);
            assertThatThrownBy(stale::acquirePermit).isInstanceOfSatisfying(MaxPermitsMismatchException.class, e -> {
                assertThat(e.storedMaxPermits()).isEqualTo(5);
                assertThat(e.requestedMaxPermits()).isEqualTo(2);
                assertThat(e).hasMessageContaining("maxPermits 5").hasMessageContaining("maxPermits 2");
            });
            assertThatThrownBy(() -> stale.setMaxPermits(1)).isInstanceOf(MaxPermitsMismatchException.class);
            assertThat(semaphore.snapshot().maxPermits()).isEqualTo(5); // the stale resize changed nothing
            // What the stale handle holds is still renewed and released.
            // A renewal moves the deadline a third of the TTL (333 ms) on; 150 ms absorbs the noise.
            Await.until("the stale holder's lease renewed after the resize",
                    () -> leaseDeadline(stale) > deadlineBefore + MILLISECONDS.toNanos(150));
            release(staleHeld);
            assertThat(client().semaphore(name, 5).acquirePermit(5).permits()).isEqualTo(5);
        }

        @Test
        void fencingTokensKeepIncreasingAcrossResizes() throws Exception {
            RedisSemaphore semaphore = client().semaphore(name, 1);
            List<Long> tokens = new ArrayList<>();
            for (int max = 1; max <= 4; max++) {
                semaphore.setMaxPermits(max);
                List<LeasedPermit> held = new ArrayList<>();
                for (int i = 0; i < max; i++) {
                    held.add(semaphore.acquirePermit());
                }
                held.forEach(permit -> tokens.add(permit.fencingToken()));
                for (LeasedPermit permit : held) {
                    release(permit);
                }
            }
            assertThat(tokens).hasSize(10).isSorted().doesNotHaveDuplicates();
        }

        @Test
        void whilePausedNothingIsGrantedButReleasesCount() throws Exception {
            RedisSemaphore semaphore = client().semaphore(name, 2);
            RedisSemaphore other = client().semaphore(name, 2);
            LeasedPermit held = semaphore.acquirePermit(2);

            other.pause();

            assertThat(semaphore.snapshot().paused()).isTrue();
            release(held);
            assertThat(semaphore.snapshot().availablePermits()).isEqualTo(2);
            assertThat(semaphore.tryAcquirePermit(1, Duration.ZERO)).isEmpty(); // nobody waits: only the pause refuses
            CompletableFuture<LeasedPermit> waiter = semaphore.acquireLeaseAsync(1);
            awaitWaiters(semaphore, 1);
            assertThat(semaphore.snapshot().availablePermits()).isEqualTo(2);
            assertThat(waiter).isNotDone();

            other.resume();

            assertThat(get(waiter).permits()).isEqualTo(1);
            assertThat(semaphore.snapshot().paused()).isFalse();
            assertThat(semaphore.tryAcquirePermit(1, Duration.ZERO)).isPresent();
        }

        @Test
        void badMaximaFailAtOnceNamingTheValue() {
            RedisSemaphore semaphore = client().semaphore(name, 2);
            assertThatThrownBy(() -> semaphore.setMaxPermits(0)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("maxPermits must be positive, got 0");
            assertThatThrownBy(() -> semaphore.setMaxPermits(-3)).hasMessage("maxPermits must be positive, got -3");
        }
    }

    @Test
    void toStringShowsTheClientsView() throws Exception {
        RedisSemaphore semaphore = client().semaphore(name, 2);
        try (LeasedPermit permit = semaphore.acquirePermit()) {
            assertThat(semaphore.toString()).startsWith("RedisSemaphore[name=" + name + ", maxPermits=2, heldHere=1");
            assertThat(permit.toString()).contains("token=" + permit.fencingToken());
        }
    }

}
