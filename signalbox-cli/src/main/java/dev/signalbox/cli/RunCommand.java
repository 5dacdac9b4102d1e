package dev.signalbox.cli;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;

import dev.signalbox.MachineSemaphore;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code signalbox run}: run a command once a permit of a machine-wide semaphore is free. */
@Command(
        name = "run",
        mixinStandardHelpOptions = true,
        versionProvider = Signalbox.Version.class,
        header = "Run a command when a permit of a machine-wide semaphore is free.",
        description = {
            "Waits for a permit of the named semaphore, shared by all of this user's processes on this machine; "
                    + "runs the command in the foreground with this terminal's stdin, stdout and stderr; forwards "
                    + "SIGINT and SIGTERM to it; gives the permit back when it ends, and exits with its exit code.",
            "",
            "Exit codes: the command's; " + ExitCodes.USAGE + " usage mistake; " + ExitCodes.CANNOT_RUN
                    + " state directory refused; " + ExitCodes.TIMEOUT + " --timeout elapsed; "
                    + ExitCodes.NOT_EXECUTABLE + " command not executable; " + ExitCodes.NOT_FOUND
                    + " command not found. Nothing is run in those cases.",
            ""
        })
final class RunCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--name", paramLabel = "NAME", defaultValue = CommandRunner.DEFAULT_NAME,
            description = "The semaphore: 1-100 characters from A-Z a-z 0-9 . _ -, not starting with '.' "
                    + "(default ${DEFAULT-VALUE}).")
    String name;

    @Option(names = "--permits", paramLabel = "K",
            description = "How many commands may hold it at once (1-" + MachineSemaphore.MAX_PERMITS
                    + "). Stored when the semaphore is created; every later user must agree. "
                    + "Default: the stored count, or 1 for a new semaphore.")
    Integer permits;

    @Option(names = "--timeout", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Give up after waiting this long, e.g. 30s, 5m, PT1H (default: wait as long as it takes).")
    Duration timeout;

    @Option(names = "--redis", paramLabel = "URI",
            description = "Use the cluster-wide semaphore on this Redis server (redis://[[user]:password@]host:port, "
                    + "rediss:// for TLS) instead of the machine-wide one. Default: $SIGNALBOX_REDIS if set.")
    String redis;

    @Option(names = "--lease", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "With Redis: the permit's lease TTL, renewed while the command runs; if signalbox dies, "
                    + "the permit comes back after this long (default " + RedisRunner.DEFAULT_LEASE_TEXT + ").")
    Duration lease;

    @Parameters(arity = "1..*", paramLabel = "COMMAND", description = "The command and its arguments, after --.")
    List<String> command;

    @Override
    public Integer call() throws Exception {
        if (permits != null && (permits < 1 || permits > MachineSemaphore.MAX_PERMITS)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--permits: must be between 1 and "
                    + MachineSemaphore.MAX_PERMITS + ", got " + permits);
        }
        String uri = RedisRunner.uri(redis);
        if (uri != null) {
            return new RedisRunner(uri, name, permits, timeout, lease, command, spec.commandLine().getErr()).run();
        }
        if (lease != null) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--lease: only a Redis semaphore has leases; give --redis URI or set SIGNALBOX_REDIS");
        }
        return new CommandRunner(name, permits, timeout, command, spec.commandLine().getErr()).run();
    }
}
