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

    private ExitCodes() {}
}
