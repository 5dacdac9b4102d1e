package dev.signalbox.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

import dev.signalbox.MachineSemaphore;
import dev.signalbox.Permit;

/**
 * What {@code signalbox run} does once its arguments are understood: wait for a permit of the
 * named machine-wide semaphore, run the command in the foreground, give the permit back when it
 * ends, and return its exit code. No picocli here: the fast path of {@link Signalbox#main} calls
 * this without loading the parser.
 */
final class CommandRunner {

    /** The semaphore {@code run} and {@code status} use without {@code --name}. */
    static final String DEFAULT_NAME = "default";

    private final String name;
    private final Integer permits; // null: the semaphore's stored count, or 1 for a new one
    private final Duration timeout; // null: wait as long as it takes
    private final List<String> command;
    private final PrintWriter err;

    CommandRunner(String name, Integer permits, Duration timeout, List<String> command, PrintWriter err) {
        this.name = name;
        this.permits = permits;
        this.timeout = timeout;
        this.command = List.copyOf(command);
        this.err = err;
    }

    /**
     * Runs it.
     *
     * @return the command's exit code, or one of {@link ExitCodes} when it did not run (a bad
     *     name, or a permit count that disagrees with the semaphore's, is a usage mistake)
     */
    @SuppressWarnings("try") // the permit is held for as long as the command runs, and released after
    int run() throws IOException, InterruptedException {
        Path stateDirectory = MachineSemaphore.defaultStateDirectory();
        int count;
        try {
            MachineSemaphore.checkName(name);
            count = permits != null ? permits
                    : MachineSemaphore.snapshot(stateDirectory, name).map(MachineSemaphore.Snapshot::permits).orElse(1);
        } catch (IllegalArgumentException badName) {
            return usageError("--name: " + badName.getMessage());
        } catch (IOException unusable) {
            err.println("signalbox: " + unusable.getMessage());
            return ExitCodes.CANNOT_RUN;
        }
        OptionalInt refused = Executables.refusal(command.get(0), err);
        if (refused.isPresent()) {
            return refused.getAsInt();
        }
        MachineSemaphore semaphore;
        try {
            semaphore = MachineSemaphore.open(stateDirectory, name, count);
        } catch (IllegalArgumentException disagreement) {
            return usageError("--permits: " + disagreement.getMessage());
        } catch (IOException unusable) {
            err.println("signalbox: " + unusable.getMessage());
            return ExitCodes.CANNOT_RUN;
        }
        // Closed by the exit: the kernel drops the locks of a process that ends, however it ends.
        MachineSemaphore holder = semaphore.withHolderCommand(String.join(" ", command));
        Optional<Permit> permit = acquire(holder);
        if (permit.isEmpty()) {
            err.println("signalbox: timed out after " + Durations.format(timeout) + " waiting for a permit of '"
                    + name + "' (" + whoHolds(holder) + "); nothing was run");
            return ExitCodes.TIMEOUT;
        }
        try (Permit held = permit.get()) {
            return ChildProcess.runInForeground(command, err);
        }
    }

    private Optional<Permit> acquire(MachineSemaphore semaphore) throws InterruptedException {
        WaitingLine line = Terminal.stderrIsATerminal() ? WaitingLine.start(semaphore, err) : null;
        try {
            return timeout == null ? Optional.of(semaphore.acquirePermit()) : semaphore.tryAcquirePermit(1, timeout);
        } finally {
            if (line != null) {
                line.stop();
            }
        }
    }

    /** A usage mistake found after parsing: one line and the hint, as {@link Signalbox} prints them. */
    private int usageError(String message) {
        err.println("signalbox: " + message);
        err.println("Try 'signalbox run --help' for more information.");
        return ExitCodes.USAGE;
    }

    /** For example "2 of 2 permits held by 4711 (make test), 4712 (./deploy.sh)". */
    static String whoHolds(MachineSemaphore semaphore) {
        try {
            MachineSemaphore.Snapshot snapshot = semaphore.snapshot();
            List<String> holders = new ArrayList<>();
            for (MachineSemaphore.Holder h : snapshot.holders()) {
                holders.add(h.pid() + " (" + h.command() + ")");
            }
            return snapshot.held() + " of " + snapshot.permits() + " permits held"
                    + (holders.isEmpty() ? "" : " by " + String.join(", ", holders));
        } catch (UncheckedIOException | IllegalStateException unreadable) {
            return "holders unknown";
        }
    }
}
