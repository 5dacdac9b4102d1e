package dev.signalbox.cli;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

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
}
