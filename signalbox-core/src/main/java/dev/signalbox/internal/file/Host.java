package dev.signalbox.internal.file;

import java.nio.file.Files;
import java.nio.file.Path;

/** This machine's host name, read without a DNS lookup (which can take seconds). */
final class Host {

    private static final String NAME = lookUp();

    private Host() {}

    static String name() {
        return NAME;
    }

    private static String lookUp() {
        try {
            String kernel = Files.readString(Path.of("/proc/sys/kernel/hostname")).trim();
            if (!kernel.isEmpty()) {
                return kernel;
            }
        } catch (Exception noProcfs) {
            // Fall through to the environment.
        }
        String env = System.getenv("HOSTNAME");
        return env == null || env.isEmpty() ? "localhost" : env;
    }
}
