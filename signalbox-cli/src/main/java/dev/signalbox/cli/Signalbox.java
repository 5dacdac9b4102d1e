package dev.signalbox.cli;

import java.io.PrintWriter;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code signalbox} command: limits how many commands run at once. */
@Command(
        name = "signalbox",
        mixinStandardHelpOptions = true,
        versionProvider = Signalbox.Version.class,
        header = "Limit how many commands run at once, on one machine or across machines.",
        subcommands = {CommandLine.HelpCommand.class})
public final class Signalbox implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(execute(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs the command line with the given streams and returns the exit code (for tests). */
    public static int execute(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine commandLine = new CommandLine(new Signalbox());
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
     * The mistake in one line. A value our own converters refuse reads "--hold: invalid duration
     * 'soon' (...)" rather than picocli's longer "Invalid value for option '--hold': ...".
     */
    private static String describe(CommandLine.ParameterException mistake) {
        if (mistake.getCause() instanceof CommandLine.TypeConversionException refused
                && mistake.getArgSpec() instanceof CommandLine.Model.OptionSpec option) {
            return option.longestName() + ": " + refused.getMessage();
        }
        return mistake.getMessage();
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing command (try 'signalbox --help')");
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
