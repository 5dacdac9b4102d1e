package dev.signalbox.cli;

import java.io.File;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalInt;

/** Finds a command as the shell does: a name with a slash is a path, else it is looked up on PATH. */
final class Executables {

    private Executables() {}

    /** The file {@code program} names, if it exists (executable or not: the caller tells them apart). */
    static Optional<Path> find(String program) {
        if (program.isEmpty()) {
            return Optional.empty();
        }
        if (program.contains("/")) {
            Path path = Path.of(program);
            return Files.exists(path) ? Optional.of(path) : Optional.empty();
        }
        String searchPath = System.getenv("PATH");
        if (searchPath == null) {
            return Optional.empty();
        }
        Path existing = null;
        for (String dir : searchPath.split(File.pathSeparator, -1)) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, program);
            if (Files.isRegularFile(candidate)) {
                if (Files.isExecutable(candidate)) {
                    return Optional.of(candidate);
                }
                if (existing == null) {
                    existing = candidate; // the shell too reports "permission denied" only if nothing better is found
                }
            }
        }
        return Optional.ofNullable(existing);
    }

    /**
     * Whether {@code program} can be run; if not, says why on {@code err} in the shell's words and
     * returns the exit code the shell would ({@link ExitCodes#NOT_FOUND} or
     * {@link ExitCodes#NOT_EXECUTABLE}), so that nothing is waited for in vain.
     */
    static OptionalInt refusal(String program, PrintWriter err) {
        Optional<Path> executable = find(program);
        if (executable.isEmpty()) {
            err.println("signalbox: " + program + ": command not found");
            return OptionalInt.of(ExitCodes.NOT_FOUND);
        }
        if (!Files.isExecutable(executable.get()) || Files.isDirectory(executable.get())) {
            err.println("signalbox: " + program + ": permission denied");
            return OptionalInt.of(ExitCodes.NOT_EXECUTABLE);
        }
        return OptionalInt.empty();
    }
}
