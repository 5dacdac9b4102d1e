package dev.signalbox.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import dev.signalbox.MachineSemaphore;

/**
 * The quick way through {@code signalbox run}: a command line that is a well-formed {@code run}
 * goes straight to {@link CommandRunner}, without loading picocli (whose start-up costs more than
 * the rest of {@code run} together). Anything else — help, version, an unknown option (such as
 * {@code --redis}), a value that does not parse, {@code SIGNALBOX_REDIS} in the environment — is
 * left to picocli, so every message, exit code and backend choice stays the full command's.
 */
final class FastRun {

    private final String name;
    private final Integer permits;
    private final Duration timeout;
    private final List<String> command;

    private FastRun(String name, Integer permits, Duration timeout, List<String> command) {
        this.name = name;
        this.permits = permits;
        this.timeout = timeout;
        this.command = command;
    }

    /** The run {@code args} ask for, or null if picocli must read them. */
    static FastRun parse(String[] args) {
        if (args.length < 2 || !args[0].equals("run")) {
            return null;
        }
        if (System.getenv("SIGNALBOX_REDIS") != null) {
            return null; // a cluster-wide run: only the full command knows that backend
        }
        String name = CommandRunner.DEFAULT_NAME;
        Integer permits = null;
        Duration timeout = null;
        int i = 1;
        while (i < args.length) {
            String arg = args[i];
            if (arg.equals("--")) {
                i++;
                break;
            }
            if (!arg.startsWith("-")) {
                break; // the command: picocli stops at the first positional here too
            }
            int eq = arg.indexOf('=');
            String option = eq < 0 ? arg : arg.substring(0, eq);
            String value;
            if (eq >= 0) {
                value = arg.substring(eq + 1);
                i++;
            } else if (i + 1 < args.length) {
                value = args[i + 1];
                i += 2;
            } else {
                return null;
            }
            switch (option) {
                case "--name" -> name = value;
                case "--permits" -> {
                    permits = parsePermits(value);
                    if (permits == null) {
                        return null;
                    }
                }
                case "--timeout" -> {
                    timeout = parseTimeout(value);
                    if (timeout == null) {
                        return null;
                    }
                }
                default -> {
                    return null;
                }
            }
        }
        if (i >= args.length) {
            return null; // no command: picocli says so
        }
        return new FastRun(name, permits, timeout, List.of(Arrays.copyOfRange(args, i, args.length)));
    }

    private static Integer parsePermits(String value) {
        try {
            int permits = Integer.parseInt(value);
            return permits >= 1 && permits <= MachineSemaphore.MAX_PERMITS ? permits : null;
        } catch (NumberFormatException notANumber) {
            return null;
        }
    }

    private static Duration parseTimeout(String value) {
        try {
            return new DurationConverter().convert(value);
        } catch (RuntimeException refused) {
            return null;
        }
    }

    int run(PrintWriter err) throws Exception {
        return new CommandRunner(name, permits, timeout, command, err).run();
    }
}
