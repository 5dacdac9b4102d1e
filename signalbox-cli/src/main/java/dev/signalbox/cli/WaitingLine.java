package dev.signalbox.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

import dev.signalbox.MachineSemaphore;

/**
 * The one live line {@code run} draws on a terminal while it waits: for how long, how many
 * processes are ahead, and who holds the permits. Drawn only after a short grace period, so a
 * permit granted at once leaves the terminal untouched; erased when the wait ends.
 */
final class WaitingLine {

    private static final long GRACE_NANOS = 250_000_000L;
    private static final long REFRESH_NANOS = 500_000_000L;

    private final MachineSemaphore semaphore;
    private final PrintWriter err;
    private final long since = System.nanoTime();
    private final Thread painter;
    private volatile boolean stopped;
    private boolean drawn; // guarded by this

    private WaitingLine(MachineSemaphore semaphore, PrintWriter err) {
        this.semaphore = semaphore;
        this.err = err;
        this.painter = Thread.ofPlatform().daemon().name("signalbox-waiting-line").unstarted(this::paint);
    }

    static WaitingLine start(MachineSemaphore semaphore, PrintWriter err) {
        WaitingLine line = new WaitingLine(semaphore, err);
        line.painter.start();
        return line;
    }

    private void paint() {
        LockSupport.parkNanos(GRACE_NANOS);
        while (!stopped) {
            String text = describe();
            synchronized (this) {
                if (stopped) {
                    return;
                }
                err.print("\r\033[K" + text);
                err.flush();
                drawn = true;
            }
            LockSupport.parkNanos(REFRESH_NANOS);
        }
    }

    private String describe() {
        StringBuilder text = new StringBuilder("signalbox: waiting ")
                .append(Durations.format(java.time.Duration.ofNanos(System.nanoTime() - since)))
                .append(" for '").append(semaphore.name()).append("'");
        try {
            MachineSemaphore.Snapshot snapshot = semaphore.snapshot();
            int position = snapshot.waiterPids().indexOf(ProcessHandle.current().pid());
            int ahead = position >= 0 ? position : snapshot.waiterPids().size();
            text.append(", ").append(ahead).append(" ahead");
            List<String> holders = new ArrayList<>();
            for (MachineSemaphore.Holder h : snapshot.holders()) {
                holders.add(h.pid() + " " + h.command());
            }
            text.append("; ").append(snapshot.held()).append('/').append(snapshot.permits()).append(" held");
            if (!holders.isEmpty()) {
                text.append(" by ").append(String.join(", ", holders));
            }
        } catch (RuntimeException unreadable) {
            // Keep showing that we wait, even if the details cannot be read.
        }
        int width = Terminal.columns() - 1; // never wrap: a wrapped line cannot be redrawn in place
        return text.length() > width ? text.substring(0, width - 3) + "..." : text.toString();
    }

    /** Stops drawing and erases the line. */
    void stop() {
        stopped = true;
        synchronized (this) {
            if (drawn) {
                err.print("\r\033[K");
                err.flush();
            }
        }
        LockSupport.unpark(painter);
    }
}
