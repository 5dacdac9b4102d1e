package dev.signalbox.cli;

/**
 * Every exit code {@code signalbox} uses, in one place. {@code signalbox run} otherwise exits
 * with its command's own exit code.
 */
public final class ExitCodes {

    /** Success. */
    public static final int OK = 0;
    /** A failure that is not a usage mistake (e.g. the over-release the bounded demo provokes). */
    public static final int FAILURE = 1;
    /** A usage mistake: bad option, bad value, missing argument. One line on stderr says which. */
    public static final int USAGE = 2;

    /**
     * {@code run} could not do its job: the state directory was refused as insecure or is not
     * usable. Nothing was run.
     */
    public static final int CANNOT_RUN = 70;
    /** {@code run} gave up waiting after {@code --timeout} (sysexits' EX_TEMPFAIL). Nothing was run. */
    public static final int TIMEOUT = 75;
    /** {@code run}: the command exists but cannot be executed (as in the shell). Nothing was run. */
    public static final int NOT_EXECUTABLE = 126;
    /** {@code run}: the command was not found (as in the shell). Nothing was run. */
    public static final int NOT_FOUND = 127;

    private ExitCodes() {}
}
