package dev.signalbox.cli;

import java.time.Duration;

/** Short human forms of durations for messages: {@code 250ms}, {@code 3s}, {@code 2m05s}, {@code 1h02m}. */
final class Durations {

    private Durations() {}

    static String format(Duration d) {
        long millis = d.toMillis();
        if (millis < 1000) {
            return millis + "ms";
        }
        long seconds = d.toSeconds();
        if (seconds < 60) {
            return millis % 1000 == 0 ? seconds + "s" : String.format("%.1fs", millis / 1000.0);
        }
        if (seconds < 3600) {
            return String.format("%dm%02ds", seconds / 60, seconds % 60);
        }
        return String.format("%dh%02dm", seconds / 3600, seconds % 3600 / 60);
    }
}
