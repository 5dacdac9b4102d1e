package dev.signalbox.cli;

import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code signalbox} command: limits how many commands run at once. */
@Command(
        name = "signalbox",
        mixinStandardHelpOptions = true,
        versionProvider = Signalbox.Version.class,
        header = "Limit how many commands run at once, on one machine or across machines.",
        subcommands = {CommandLine.HelpCommand.class, DemoCommand.class})
public final class Signalbox implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** What standard output is encoded in: whether it can show e.g. the timeline's block characters. */
    private final Charset outCharset;

    private Signalbox(Charset outCharset) {
        this.outCharset = outCharset;
    }

    /** Runs the command line on the standard streams, each encoded as the JDK chose from the locale, and exits. */
    public static void main(String[] args) {
        Charset outCharset = charsetOf("stdout.encoding");
        Charset errCharset = charsetOf("stderr.encoding");
        PrintWriter out = new PrintWriter(new OutputStreamWriter(System.out, outCharset), true);
        PrintWriter err = new PrintWriter(new OutputStreamWriter(System.err, errCharset), true);
        int exit = execute(args, out, err, outCharset);
        out.flush();
        err.flush();
        System.exit(exit);
    }

    /** Runs the command line with the given streams, {@code out} taking any character, and returns the exit code. */
    public static int execute(String[] args, PrintWriter out, PrintWriter err) {
        return execute(args, out, err, StandardCharsets.UTF_8);
    }

    /** Runs the command line with the given streams, {@code out} encoding in {@code outCharset}. */
    static int execute(String[] args, PrintWriter out, PrintWriter err, Charset outCharset) {
        CommandLine commandLine = new CommandLine(new Signalbox(outCharset));
        // Every Duration option of every command reads 250ms, 3s, 2m, 1h and PT3S alike.
        commandLine.registerConverter(Duration.class, new DurationConverter());
        commandLine.setOut(out);
        commandLine.setErr(err);
        commandLine.setParameterExceptionHandler(Signalbox::usageError);
        commandLine.setExitCodeExceptionMapper(failure -> ExitCodes.FAILURE);
        return commandLine.execute(args);
    }

    /** A usage mistake: one line that says what was wrong, a hint, exit 2; no usage dump. */
    static int usageError(CommandLine.ParameterException mistake, String[] args) {
        CommandLine command = mistake.getCommandLine();
        PrintWriter err = command.getErr();
        err.println("signalbox: " + describe(mistake));
        err.println("Try '" + command.getCommandSpec().qualifiedName() + " --help' for more information.");
        return ExitCodes.USAGE;
    }

    /**
     * The mistake in one line. A value a converter refuses reads "--hold: invalid duration
     * 'soon' (...)" rather than picocli's longer "Invalid value for option '--hold': ...".
     */
    private static String describe(CommandLine.ParameterException mistake) {
        if (mistake.getCause() instanceof CommandLine.TypeConversionException refused
                && mistake.getArgSpec() instanceof CommandLine.Model.OptionSpec option) {
            return option.longestName() + ": " + refused.getMessage();
        }
        return mistake.getMessage();
    }

    /** Whether standard output can show every character of {@code text}. */
    boolean canPrint(CharSequence text) {
        return outCharset.newEncoder().canEncode(text);
    }

    /** The charset the JDK chose for a standard stream (from the locale), or the default charset. */
    private static Charset charsetOf(String property) {
        String name = System.getProperty(property);
        return name == null ? Charset.defaultCharset() : Charset.forName(name, Charset.defaultCharset());
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing command, one of: "
                + String.join(", ", spec.subcommands().keySet()));
    }

    /** The version from the jar's manifest, or "development" when run from classes. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = Signalbox.class.getPackage().getImplementationVersion();
            return new String[] {"signalbox " + (version == null ? "development" : version)};
        }
    }
}
