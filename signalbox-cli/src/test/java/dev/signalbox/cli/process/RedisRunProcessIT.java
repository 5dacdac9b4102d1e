package dev.signalbox.cli.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import dev.signalbox.cli.ExitCodes;
import dev.signalbox.redis.RedisSemaphore;
import dev.signalbox.redis.RedisSemaphoreClient;
import dev.signalbox.redis.RedisSemaphoreSnapshot;
import dev.signalbox.redis.testing.RedisServer;
import dev.signalbox.redis.testing.RedisServerExtension;

/** {@code signalbox run --redis} and {@code status --redis} as processes, on a real redis-server. */
@Tag("process")
@Tag("redis")
@ExtendWith(RedisServerExtension.class)
class RedisRunProcessIT {

    private final RedisServer server;
    private final String name;
    private final Signalboxes signalboxes;
    private final RedisSemaphoreClient observer;

    RedisRunProcessIT(RedisServer server, TestInfo test, @TempDir Path temp) {
        this.server = server;
        this.name = test.getTestMethod().orElseThrow().getName();
        this.signalboxes = new Signalboxes(temp);
        this.observer = RedisSemaphoreClient.of(server.uri());
    }

    @AfterEach
    void cleanUp() throws Exception {
        signalboxes.close();
        observer.close();
    }

    private RedisSemaphoreSnapshot snapshot(int max) {
        return observer.semaphore(name, max).snapshot();
    }

    private void awaitHolders(int max, int count) throws InterruptedException {
        long deadline = System.nanoTime() + Signalboxes.LIMIT.toNanos();
        while (snapshot(max).holders().size() != count) {
            assertThat(System.nanoTime()).as(count + " holders of '" + name + "'").isLessThan(deadline);
            Thread.sleep(20); // another process changes it; there is no event to wait on
        }
    }

    @Test
    void runsTheCommandWithAPermitAndExitsWithItsCode() throws Exception {
        Signalboxes.Run run = signalboxes.start("run", "--redis", server.uri(), "--name", name, "--", "sh", "-c",
                "echo inside; exit 7");

        assertThat(run.exitCode()).isEqualTo(7);
        assertThat(run.stdout()).isEqualTo("inside\n");
        assertThat(run.stderr()).isEmpty();
        assertThat(snapshot(1).availablePermits()).isEqualTo(1);
    }

    @Test
    void commandsSharingOnePermitNeverOverlap() throws Exception {
        Path log = signalboxes.temp().resolve("log");
        List<Signalboxes.Run> runs = new java.util.ArrayList<>();
        for (int i = 0; i < 3; i++) {
            runs.add(signalboxes.start("run", "--redis", server.uri(), "--name", name, "--permits", "1", "--", "sh",
                    "-c", "echo start >> " + log + "; sleep 0.3; echo end >> " + log));
        }
        for (Signalboxes.Run run : runs) {
            assertThat(run.exitCode()).as(run.stderr()).isZero();
        }
        assertThat(Files.readAllLines(log)).containsExactly("start", "end", "start", "end", "start", "end");
    }

    @Test
    void statusShowsTheHolderAndATimeoutRunsNothing() throws Exception {
        Signalboxes.Run holder = signalboxes.start("run", "--redis", server.uri(), "--name", name, "--", "sleep", "30");
        awaitHolders(1, 1);

        Signalboxes.Run status = signalboxes.start("status", "--redis", server.uri(), "--name", name);
        assertThat(status.exitCode()).isZero();
        assertThat(status.stdout()).startsWith(name + ": 1 of 1 permit held, 0 waiting (Redis)\n")
                .contains("pid " + holder.pid() + "@").endsWith(": sleep 30\n");

        Signalboxes.Run late = signalboxes.start("run", "--redis", server.uri(), "--name", name, "--timeout", "300ms",
                "--", "touch", "ran");
        assertThat(late.exitCode()).isEqualTo(ExitCodes.TIMEOUT);
        assertThat(late.stderr()).contains("timed out after");
        assertThat(signalboxes.temp().resolve("ran")).doesNotExist();
    }

    @Test
    void killingSignalboxWithSigkillKillsItsCommandAndFreesThePermitWithinTheLease() throws Exception {
        Signalboxes.Run holder = signalboxes.start("run", "--redis", server.uri(), "--name", name, "--lease", "1s",
                "--", "sleep", "60");
        ProcessHandle child = holder.child();
        awaitHolders(1, 1);

        holder.process().destroyForcibly();
        long killed = System.nanoTime();

        assertThat(child.onExit().get(5, TimeUnit.SECONDS).isAlive()).as("the command died with signalbox").isFalse();
        RedisSemaphore semaphore = observer.semaphore(name, 1);
        assertThat(semaphore.tryAcquirePermit(1, Duration.ofSeconds(5))).isPresent().get()
                .satisfies(permit -> permit.close());
        long backAfterMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killed);
        assertThat(backAfterMs).as("permit back after the 1 s lease, ms").isLessThan(1000 + 2500);
    }

    @Test
    void aLostLeaseStopsTheCommand() throws Exception {
        Signalboxes.Run holder = signalboxes.start("run", "--redis", server.uri(), "--name", name, "--lease", "1s",
                "--", "sleep", "60");
        holder.child();
        awaitHolders(1, 1);

        server.pause(); // no renewal can land: the lease ends at the holder within its TTL
        try {
            assertThat(holder.exitCode()).as("sleep ended by SIGTERM").isEqualTo(128 + 15);
        } finally {
            server.resume();
        }
        assertThat(holder.stderr()).contains("signalbox: lost the permit of '" + name + "'");
    }

    @Test
    void mistakesAreUsageErrorsAndAnUnreachableServerRunsNothing() throws Exception {
        signalboxes.start("run", "--redis", server.uri(), "--name", name, "--permits", "2", "--", "true").exitCode();
        Signalboxes.Run wrongCount = signalboxes.start("run", "--redis", server.uri(), "--name", name, "--permits", "3",
                "--", "true");
        assertThat(wrongCount.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(wrongCount.stderr()).contains("--permits: ").contains("maxPermits 2");

        Signalboxes.Run shortLease = signalboxes.start("run", "--redis", server.uri(), "--lease", "100ms", "--", "true");
        assertThat(shortLease.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(shortLease.stderr()).startsWith("signalbox: --lease: ");

        Signalboxes.Run down = signalboxes.start("run", "--redis", "redis://127.0.0.1:" + RedisServer.freePort(), "--",
                "touch", "ran");
        assertThat(down.exitCode()).isEqualTo(ExitCodes.CANNOT_RUN);
        assertThat(down.stderr()).contains("unreachable");
        assertThat(signalboxes.temp().resolve("ran")).doesNotExist();
    }
}
