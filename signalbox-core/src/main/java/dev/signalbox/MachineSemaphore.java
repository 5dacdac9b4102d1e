package dev.signalbox;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.signalbox.internal.file.FileSemaphore;
import dev.signalbox.internal.file.Inspection;
import dev.signalbox.internal.file.StateDirectory;

/**
 * A named semaphore of N permits shared by every process of one user on this machine, with no
 * server: the permits are POSIX file locks in a per-user state directory, so a process that dies,
 * even by {@code kill -9}, gives its permits back at once.
 *
 * {@snippet class=dev.signalbox.snippets.CoreSnippets region=machine-semaphore :
 * try (MachineSemaphore builds = MachineSemaphore.open("builds", 2)) {
 *     try (Permit permit = builds.acquirePermit()) {    // waits while two processes build
 *         runTheBuild();
 *     }
 * }
 * }
 *
 * <p><b>Names and state.</b> A name is 1 to 100 characters from {@code A-Z a-z 0-9 . _ -}, not
 * starting with {@code .}. The state lives in {@code $XDG_RUNTIME_DIR/signalbox/<name>/}, else
 * {@code ~/.signalbox/<name>/}; the system property {@code signalbox.stateDir} or the environment
 * variable {@code SIGNALBOX_STATE_DIR} overrides the directory. It is created with mode 0700 and
 * refused if it is a symbolic link, belongs to another user or is writable by group or others.
 * The permit count is stored with the semaphore when it is first created; opening it with another
 * count fails with {@link IllegalArgumentException} (every user must agree on the limit).
 *
 * <p><b>Fairness.</b> Within one process, requests are served strictly first-in first-out, and a
 * large request at the head holds back smaller ones behind it. Between processes, waiting
 * processes queue in the kernel on one lock, and are served in the order the kernel grants it:
 * first-come first-served on Linux as measured (see the README), but not guaranteed by POSIX. A
 * newcomer never takes a permit while another process waits at the head.
 *
 * <p><b>Waiting.</b> Waiting processes sleep in the kernel. The one at the head of the queue
 * wakes when a permit is released (every release rings an inotify "bell"), and looks at least
 * every 100 ms for the permits of processes that died without ringing.
 *
 * <p><b>Cancellation.</b> A pending {@link #acquirePermitAsync} may be cancelled, or completed
 * exceptionally (e.g. by {@code orTimeout}); a timed acquire may time out, and a blocking one may
 * be interrupted. The request then leaves the queue, anything it had collected is given back and
 * goes to the next waiter. If the grant wins the race, the caller holds the permit
 * ({@code cancel} returns false).
 *
 * <p><b>Handles and closing.</b> Every handle from {@link #open} must be closed; closing the last
 * handle on a semaphore in a process gives back every permit the process still holds on it and
 * fails its pending requests. Permit handles release exactly once.
 *
 * <p><b>Limits.</b> File locks are not shared with {@code flock(1)}-based tools, and locks on
 * network file systems follow their servers' rules: keep the state directory on a local file
 * system (the default is). Holders and waiters are listed by {@link #snapshot()}.
 *
 * <p><b>Threads.</b> All methods are thread-safe. Blocking methods may be called from virtual
 * threads: free permits are taken with a non-blocking {@code tryLock} on the caller's thread, and
 * the blocking file lock is waited for on one platform thread per semaphore and process.
 */
public final class MachineSemaphore implements PermitSource, AutoCloseable {

    /** The most permits a machine-wide semaphore may have (each is an open file in every user). */
    public static final int MAX_PERMITS = 1024;

    private final FileSemaphore semaphore;
    private final String holderCommand; // null: this process's command line, looked up when first needed
    private final AtomicBoolean closed = new AtomicBoolean();

    private MachineSemaphore(FileSemaphore semaphore, String holderCommand) {
        this.semaphore = semaphore;
        this.holderCommand = holderCommand;
    }

    /**
     * Opens the semaphore {@code name} of {@code permits} permits in the default state directory,
     * creating it if it does not exist.
     *
     * @param name the semaphore's name, shared by every process that opens it; see {@link #checkName}
     * @param permits how many permits it has, the same in every process
     * @return an open handle; close it when this process no longer uses the semaphore
     * @throws IllegalArgumentException if the name is not allowed, {@code permits} is not between
     *     1 and {@link #MAX_PERMITS}, or the semaphore exists with another number of permits
     * @throws IOException if the state directory cannot be created, or is refused as insecure
     */
    public static MachineSemaphore open(String name, int permits) throws IOException {
        return open(defaultStateDirectory(), name, permits);
    }

    /**
     * Opens the semaphore {@code name} of {@code permits} permits in {@code stateDirectory}; see
     * {@link #open(String, int)}.
     *
     * @param stateDirectory the directory holding the state of the machine's semaphores
     * @param name the semaphore's name, shared by every process that opens it; see {@link #checkName}
     * @param permits how many permits it has, the same in every process
     * @return an open handle; close it when this process no longer uses the semaphore
     * @throws IllegalArgumentException if the name is not allowed, {@code permits} is not between
     *     1 and {@link #MAX_PERMITS}, or the semaphore exists with another number of permits
     * @throws IOException if the state directory cannot be created, or is refused as insecure
     * @throws NullPointerException if {@code stateDirectory} or {@code name} is null
     */
    public static MachineSemaphore open(Path stateDirectory, String name, int permits) throws IOException {
        Objects.requireNonNull(stateDirectory, "stateDirectory");
        StateDirectory.checkName(name);
        if (permits < 1 || permits > MAX_PERMITS) {
            throw new IllegalArgumentException("permits must be between 1 and " + MAX_PERMITS + ", got " + permits);
        }
        return new MachineSemaphore(FileSemaphore.open(stateDirectory, name, permits), null);
    }

    /**
     * Checks that {@code name} can name a machine-wide semaphore: 1 to 100 characters from
     * {@code A-Z a-z 0-9 . _ -}, not starting with {@code .}.
     *
     * @param name the name to check
     * @return {@code name}
     * @throws IllegalArgumentException if it cannot, with a message that says what is allowed
     * @throws NullPointerException if {@code name} is null
     */
    public static String checkName(String name) {
        return StateDirectory.checkName(name);
    }

    /**
     * {@return the state directory used when none is given} That is {@code signalbox.stateDir} or
     * {@code SIGNALBOX_STATE_DIR} if set, else {@code $XDG_RUNTIME_DIR/signalbox}, else
     * {@code ~/.signalbox}. Not created or checked by this call.
     */
    public static Path defaultStateDirectory() {
        return StateDirectory.defaultLocation();
    }

    /**
     * Snapshots of every semaphore in {@code stateDirectory}, sorted by name; empty if the
     * directory does not exist.
     *
     * @param stateDirectory the directory holding the state of the machine's semaphores
     * @return one snapshot per semaphore, sorted by name
     * @throws IOException if the directory cannot be read, or is refused as insecure
     */
    public static List<Snapshot> snapshots(Path stateDirectory) throws IOException {
        return Inspection.all(Objects.requireNonNull(stateDirectory, "stateDirectory"));
    }

    /**
     * A snapshot of the semaphore {@code name} in {@code stateDirectory}, or empty if nobody has
     * created it.
     *
     * @param stateDirectory the directory holding the state of the machine's semaphores
     * @param name the semaphore's name
     * @return its snapshot, or empty if it does not exist
     * @throws IllegalArgumentException if the name is not allowed
     * @throws IOException if the directory cannot be read, or is refused as insecure
     */
    public static Optional<Snapshot> snapshot(Path stateDirectory, String name) throws IOException {
        return Inspection.one(Objects.requireNonNull(stateDirectory, "stateDirectory"), name);
    }

    /**
     * Another handle on this semaphore whose permits are listed with {@code command} as what their
     * holder runs (by default, this process's command line). Close it like any handle.
     *
     * @param command what the holders of the new handle's permits are shown to run
     * @return a new open handle on the same semaphore
     * @throws NullPointerException if {@code command} is null
     * @throws IllegalStateException if this handle is closed
     * @throws IOException if the semaphore's files cannot be opened
     */
    public MachineSemaphore withHolderCommand(String command) throws IOException {
        Objects.requireNonNull(command, "command");
        ensureOpen();
        return new MachineSemaphore(FileSemaphore.open(semaphore.directory().getParent(), semaphore.name(),
                semaphore.permits()), command);
    }

    /** {@return the name of this semaphore} */
    public String name() {
        return semaphore.name();
    }

    /** {@return the number of permits this semaphore has, shared by all processes} */
    public int permits() {
        return semaphore.permits();
    }

    /**
     * {@return who holds and who waits now, across all processes}
     *
     * @throws UncheckedIOException if the state cannot be read
     */
    public Snapshot snapshot() {
        try {
            return Inspection.one(semaphore.directory().getParent(), semaphore.name())
                    .orElseThrow(() -> new IllegalStateException("the files of '" + name() + "' were removed"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ---------------------------------------------------------------- PermitSource

    /**
     * Acquires {@code permits} permits at once, waiting as long as it takes.
     *
     * @throws IllegalArgumentException if {@code permits} is not between 1 and {@link #permits()}
     * @throws InterruptedException if interrupted before the grant; nothing is held then
     * @throws IllegalStateException if this handle is closed
     * @throws UncheckedIOException if the semaphore's files fail
     */
    @Override
    public Permit acquirePermit(int permits) throws InterruptedException {
        checkRequest(permits);
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        CompletableFuture<Permit> request = semaphore.acquire(permits, false, true, holderCommand());
        return awaitGrant(request, Long.MAX_VALUE).orElseThrow();
    }

    /**
     * Acquires {@code permits} permits if they are granted within {@code timeout}. A zero or
     * negative timeout does not wait for other processes: it takes free permits or returns empty.
     *
     * @throws IllegalArgumentException if {@code permits} is not between 1 and {@link #permits()}
     * @throws NullPointerException if {@code timeout} is null
     * @throws InterruptedException if interrupted before the grant; nothing is held then
     * @throws IllegalStateException if this handle is closed
     * @throws UncheckedIOException if the semaphore's files fail
     */
    @Override
    public Optional<Permit> tryAcquirePermit(int permits, Duration timeout) throws InterruptedException {
        checkRequest(permits);
        Objects.requireNonNull(timeout, "timeout");
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        boolean tryOnly = timeout.isZero() || timeout.isNegative();
        CompletableFuture<Permit> request = semaphore.acquire(permits, tryOnly, true, holderCommand());
        return awaitGrant(request, tryOnly ? Long.MAX_VALUE : saturatedNanos(timeout));
    }

    /**
     * Returns a future that completes with {@code permits} permits once they are granted.
     * Completion callbacks run on a thread of their own, never on the thread that takes the locks.
     *
     * @throws IllegalArgumentException if {@code permits} is not between 1 and {@link #permits()}
     * @throws IllegalStateException if this handle is closed
     */
    @Override
    public CompletableFuture<Permit> acquirePermitAsync(int permits) {
        checkRequest(permits);
        return semaphore.acquire(permits, false, false, holderCommand());
    }

    private void checkRequest(int permits) {
        if (permits <= 0) {
            throw new IllegalArgumentException("permits must be positive, got " + permits);
        }
        if (permits > semaphore.permits()) {
            throw new IllegalArgumentException("permits must not exceed the " + semaphore.permits()
                    + " permits of '" + name() + "' (the request could never be granted), got " + permits);
        }
        ensureOpen();
    }

    /** Waits for {@code request}; on timeout or interrupt withdraws it, unless the grant came first. */
    private static Optional<Permit> awaitGrant(CompletableFuture<Permit> request, long nanos)
            throws InterruptedException {
        try {
            Permit permit = nanos == Long.MAX_VALUE ? request.get() : request.get(nanos, TimeUnit.NANOSECONDS);
            return Optional.ofNullable(permit);
        } catch (TimeoutException timedOut) {
            if (request.cancel(false)) {
                return Optional.empty();
            }
            return Optional.ofNullable(request.join()); // granted in the race: the caller holds it
        } catch (InterruptedException interrupted) {
            if (request.cancel(false)) {
                throw interrupted;
            }
            Thread.currentThread().interrupt(); // granted in the race: keep both the permit and the interrupt
            return Optional.ofNullable(request.join());
        } catch (ExecutionException failed) {
            Throwable cause = failed.getCause();
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException(cause);
        } catch (CancellationException closed) {
            throw new IllegalStateException("the semaphore was closed while waiting", closed);
        }
    }

    private static long saturatedNanos(Duration timeout) {
        try {
            return timeout.toNanos();
        } catch (ArithmeticException tooLong) {
            return Long.MAX_VALUE;
        }
    }

    private void ensureOpen() {
        if (closed.get()) {
            throw new IllegalStateException("this handle on machine semaphore '" + name() + "' is closed");
        }
    }

    private String holderCommand() {
        return holderCommand != null ? holderCommand : ProcessHandle.current().info().commandLine().orElse("java");
    }

    /**
     * Closes this handle. Closing the process's last handle on the semaphore gives back every
     * permit the process still holds on it and fails its pending requests. A second close does
     * nothing.
     */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            semaphore.leave();
        }
    }

    /** For example {@code MachineSemaphore[name=builds, permits=2, heldHere=1, waitingHere=0]}. */
    @Override
    public String toString() {
        return "MachineSemaphore[name=" + name() + ", permits=" + permits() + ", heldHere=" + semaphore.heldHere()
                + ", waitingHere=" + semaphore.localWaiters() + "]";
    }

    /**
     * Who holds a machine-wide semaphore's permits.
     *
     * @param pid the holding process
     * @param host the machine's host name
     * @param command what the holder runs: for {@code signalbox run}, the command it started
     * @param since when the permits were granted, or null if the holder has not recorded it yet
     * @param permits how many permits this acquisition holds
     */
    public record Holder(long pid, String host, String command, Instant since, int permits) {}

    /**
     * A machine-wide semaphore's state at one moment.
     *
     * @param name the semaphore's name
     * @param permits how many permits it has
     * @param holders who holds permits, by process and acquisition
     * @param waiterPids the processes waiting, head first, in the order the kernel queued them
     *     (a process with several waiting threads appears once)
     */
    public record Snapshot(String name, int permits, List<Holder> holders, List<Long> waiterPids) {

        /** {@return how many permits are held now} */
        public int held() {
            return holders.stream().mapToInt(Holder::permits).sum();
        }
    }
}
