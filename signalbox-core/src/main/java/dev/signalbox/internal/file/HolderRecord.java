package dev.signalbox.internal.file;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import java.util.Properties;

/**
 * Who holds a slot, written beside it by the holder for {@code status} to show: pid, host, command
 * and since when. The slot's lock, not this record, says whether the slot is held; a record left by
 * a process that died is recognised because its pid no longer holds the lock.
 */
record HolderRecord(long pid, String host, String command, Instant since) {

    void writeTo(Path file) throws IOException {
        Properties p = new Properties();
        p.setProperty("pid", Long.toString(pid));
        p.setProperty("host", host);
        p.setProperty("command", command);
        p.setProperty("since", since.toString());
        StringBuilder text = new StringBuilder();
        p.forEach((key, value) -> text.append(key).append('=').append(escape((String) value)).append('\n'));
        Files.writeString(file, text, StandardCharsets.UTF_8);
    }

    /** The record in {@code file}, or empty if there is none or it is half-written. */
    static Optional<HolderRecord> readFrom(Path file) {
        try {
            Properties p = new Properties();
            try (var in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                p.load(in);
            }
            return Optional.of(new HolderRecord(Long.parseLong(p.getProperty("pid")), p.getProperty("host", "?"),
                    p.getProperty("command", "?"), Instant.parse(p.getProperty("since"))));
        } catch (IOException | RuntimeException missingOrTorn) {
            return Optional.empty();
        }
    }

    /** Escapes for {@link Properties#load}: backslashes and line breaks. */
    private static String escape(String value) {
        return value.replace("\\", "\\\\").replace("\n", "\\n").replace("\r", "\\r");
    }
}
