package dev.signalbox.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;

import dev.signalbox.Permit;
import dev.signalbox.redis.LeasedPermit;
import dev.signalbox.redis.MaxPermitsMismatchException;
import dev.signalbox.redis.RedisSemaphore;
import dev.signalbox.redis.RedisSemaphoreClient;
import dev.signalbox.redis.RedisSemaphoreException;

/**
 * {@code signalbox run --redis}: the same job as {@link CommandRunner}, on a cluster-wide
 * semaphore. The permit is a lease renewed while the command runs; if the lease is lost (Redis
 * unreachable for a whole lease), the command is stopped, since it must not run on without its
 * permit. If {@code signalbox} itself dies, the command dies with it ({@link ChildProcess}) and
 * the lease ends after its TTL.
 */
final class RedisRunner {

    static final Duration DEFAULT_LEASE = Duration.ofSeconds(30);
    static final String DEFAULT_LEASE_TEXT = "30s";
    /** How long a command stopped for a lost lease has between SIGTERM and SIGKILL. */
    private static final Duration KILL_GRACE = Duration.ofSeconds(10);

    private final String uri;
    private final String name;
    private final Integer permits; // null: the stored maximum, or 1 for a new semaphore
    private final Duration timeout; // null: wait as long as it takes
    private final Duration lease;
    private final List<String> command;
    private final PrintWriter err;

    RedisRunner(String uri, String name, Integer permits, Duration timeout, Duration lease, List<String> command,
            PrintWriter err) {
        this.uri = uri;
        this.name = name;
        this.permits = permits;
        this.timeout = timeout;
        this.lease = lease == null ? DEFAULT_LEASE : lease;
        this.command = List.copyOf(command);
        this.err = err;
    }

    /** The Redis URI to use: {@code --redis}, else {@code SIGNALBOX_REDIS}, else null (machine-wide). */
    static String uri(String option) {
        String uri = option != null ? option : System.getenv("SIGNALBOX_REDIS");
        return uri == null || uri.isBlank() ? null : uri;
    }

    /** A label for status displays: {@code pid@host: command}. */
    static String label(List<String> command) {
        String host = System.getenv("HOSTNAME");
        if (host == null || host.isBlank()) {
            try {
                host = Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();
            } catch (IOException e) {
                host = "unknown-host";
            }
        }
        String text = ProcessHandle.current().pid() + "@" + host + ": " + String.join(" ", command);
        text = text.replaceAll("\\p{Cntrl}", " ");
        return text.length() > 200 ? text.substring(0, 200) : text;
    }

    int run() throws IOException, InterruptedException {
        OptionalInt refused = Executables.refusal(command.get(0), err);
        if (refused.isPresent()) {
            return refused.getAsInt();
        }
        RedisSemaphoreClient client;
        try {
            client = RedisSemaphoreClient.builder(uri).leaseTtl(lease).label(label(command)).build();
        } catch (IllegalArgumentException bad) {
            return usageError((bad.getMessage().startsWith("leaseTtl") ? "--lease: " : "--redis: ") + bad.getMessage());
        }
        try (client) {
            Optional<Permit> permit;
            try {
                RedisSemaphore semaphore;
                try {
                    int max = permits != null ? permits : client.semaphore(name, 1).snapshot().maxPermits();
                    semaphore = client.semaphore(name, max);
                } catch (IllegalArgumentException bad) {
                    return usageError("--name: " + bad.getMessage());
                }
                permit = timeout == null ? Optional.of(semaphore.acquirePermit()) : semaphore.tryAcquirePermit(1, timeout);
            } catch (MaxPermitsMismatchException disagreement) {
                return usageError("--permits: " + disagreement.getMessage());
            } catch (RedisSemaphoreException unavailable) {
                err.println("signalbox: " + unavailable.getMessage());
                return ExitCodes.CANNOT_RUN;
            }
            if (permit.isEmpty()) {
                err.println("signalbox: timed out after " + Durations.format(timeout) + " waiting for a permit of '"
                        + name + "' on Redis; nothing was run");
                return ExitCodes.TIMEOUT;
            }
            try (LeasedPermit held = (LeasedPermit) permit.get()) {
                held.lost().thenRun(this::stopCommand);
                return ChildProcess.runInForeground(command, err);
            }
        }
    }

    /** The lease is gone: the command must not run on without it. */
    private void stopCommand() {
        err.println("signalbox: lost the permit of '" + name + "' (Redis did not renew its lease in time); "
                + "stopping the command");
        err.flush();
        ProcessHandle.current().children().forEach(child -> {
            child.destroy();
            child.onExit().orTimeout(KILL_GRACE.toMillis(), TimeUnit.MILLISECONDS)
                    .exceptionally(stillRunning -> {
                        child.destroyForcibly();
                        return child;
                    });
        });
    }

    private int usageError(String message) {
        err.println("signalbox: " + message);
        err.println("Try 'signalbox run --help' for more information.");
        return ExitCodes.USAGE;
    }
}
