package dev.signalbox.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Facts about this process's terminal, read from {@code /proc} where it exists. */
final class Terminal {

    private Terminal() {}

    /** Whether standard error goes to a terminal (so a live status line may be drawn on it). */
    static boolean stderrIsATerminal() {
        Path fd2 = Path.of("/proc/self/fd/2");
        if (Files.exists(Path.of("/proc/self/fd"))) {
            try {
                String target = Files.readSymbolicLink(fd2).toString();
                return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
            } catch (IOException | UnsupportedOperationException unknown) {
                return false;
            }
        }
        // No procfs: the console exists only when the standard streams are terminals.
        return System.console() != null;
    }

    /**
     * Whether this process is in the foreground process group of its terminal: then a Ctrl-C
     * reaches its foreground child directly, and forwarding SIGINT would deliver it twice.
     */
    static boolean inForegroundOfATerminal() {
        try {
            String stat = Files.readString(Path.of("/proc/self/stat"));
            // Fields after the command name (in parentheses, which may contain spaces):
            // state ppid pgrp session tty_nr tpgid ...
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long pgrp = Long.parseLong(f[2]);
            long ttyNr = Long.parseLong(f[4]);
            long tpgid = Long.parseLong(f[5]);
            return ttyNr != 0 && tpgid == pgrp;
        } catch (IOException | RuntimeException unknown) {
            return false;
        }
    }

    /** The terminal's width in columns: {@code $COLUMNS}, else 80. */
    static int columns() {
        try {
            int columns = Integer.parseInt(System.getenv().getOrDefault("COLUMNS", "80").trim());
            return columns >= 20 ? columns : 80;
        } catch (NumberFormatException notANumber) {
            return 80;
        }
    }
}
