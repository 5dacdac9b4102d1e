package dev.signalbox.internal.file;

import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Who holds a slot, written beside it by the holder for {@code status} to show: pid, host, command
 * and since when. The slot's lock, not this record, says whether the slot is held; a record left by
 * a process that died is recognised because its pid no longer holds the lock.
 *
 * <p>The file is four lines, {@code key=value}: {@code pid}, {@code host}, {@code since} (seconds
 * and nanoseconds since the epoch, {@code 1764064800.123456789}) and {@code command} (line breaks
 * escaped as {@code \\n}). Plain text and epoch numbers keep {@code run}'s start-up free of the
 * date formatting and properties machinery.
 */
record HolderRecord(long pid, String host, String command, Instant since) {

    void writeTo(Path file) throws IOException {
        String text = "pid=" + pid + "\nhost=" + oneLine(host) + "\nsince=" + since.getEpochSecond() + "."
                + nanos(since.getNano()) + "\ncommand=" + oneLine(command) + "\n";
        // java.io, not a channel: an interrupted caller must not have the write aborted half-way.
        try (FileOutputStream out = new FileOutputStream(file.toFile())) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        }
    }

    /** The record in {@code file}, or empty if there is none or it is half-written. */
    static Optional<HolderRecord> readFrom(Path file) {
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            if (lines.size() < 4) {
                return Optional.empty();
            }
            long pid = Long.parseLong(value(lines.get(0), "pid"));
            String host = value(lines.get(1), "host");
            String[] since = value(lines.get(2), "since").split("\\.");
            String command = unescape(value(lines.get(3), "command"));
            return Optional.of(new HolderRecord(pid, host, command,
                    Instant.ofEpochSecond(Long.parseLong(since[0]), Long.parseLong(since[1]))));
        } catch (IOException | RuntimeException missingOrTorn) {
            return Optional.empty();
        }
    }

    private static String value(String line, String key) {
        if (!line.startsWith(key + "=")) {
            throw new IllegalArgumentException("expected " + key + "=..., got " + line);
        }
        return line.substring(key.length() + 1);
    }

    /** Nine digits, zero-padded (String.format would load the regex machinery into run's start-up). */
    private static String nanos(int nanos) {
        String digits = Integer.toString(nanos);
        return "000000000".substring(digits.length()) + digits;
    }

    private static String unescape(String value) {
        StringBuilder out = new StringBuilder(value.length());
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\\' && i + 1 < value.length()) {
                char next = value.charAt(++i);
                out.append(next == 'n' ? '\n' : next);
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static String oneLine(String value) {
        return value.replace("\\", "\\\\").replace("\n", "\\n").replace("\r", "\\n");
    }
}
