package dev.signalbox.cli.demo;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * When each worker of a {@link TutorialScenario} waited for the semaphore and held it, drawn as a
 * text chart with one row per worker:
 *
 * <pre>
 * worker 1 |██████████████████████████████                              | waited 0 ms, held 3.00 s
 * worker 2 |██████████████████████████████                              | waited 0 ms, held 3.00 s
 * worker 3 |░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░██████████████████████████████| waited 3.00 s, held 3.00 s
 * </pre>
 *
 * Times are nanoseconds of the monotonic clock since the first worker started.
 */
public final class Timeline {

    /** The characters the chart is drawn with. */
    public enum Glyphs {
        /** Block characters, for terminals that can show them. */
        UNICODE('░', '█'),
        /** Plain ASCII, for any output. */
        ASCII('.', '#');

        final char waiting;
        final char holding;

        Glyphs(char waiting, char holding) {
            this.waiting = waiting;
            this.holding = holding;
        }
    }

    /**
     * One worker's times, in nanoseconds of the monotonic clock; in a {@code Timeline}, since the
     * first worker started.
     *
     * @param started when it asked for the semaphore
     * @param acquired when it got it
     * @param released when it released it
     */
    public record Span(long started, long acquired, long released) {
        /**
         * Checks the order of the times.
         *
         * @throws IllegalArgumentException unless {@code started <= acquired <= released}
         */
        public Span {
            if (acquired - started < 0 || released - acquired < 0) {
                throw new IllegalArgumentException("a span needs started <= acquired <= released, got "
                        + started + ", " + acquired + ", " + released);
            }
        }
    }

    /** The narrowest chart drawn: narrower, the rows would say nothing. */
    public static final int MIN_COLUMNS = 10;

    private final List<Span> spans;
    private final long total;

    /**
     * Creates a timeline of {@code spans} over {@code total} nanoseconds.
     *
     * @param spans one per worker, in the order the workers started
     * @param total nanoseconds the chart spans, at least every span's end
     * @throws IllegalArgumentException if a span starts before 0 or ends after {@code total}
     */
    public Timeline(List<Span> spans, long total) {
        this.spans = List.copyOf(Objects.requireNonNull(spans, "spans"));
        for (Span span : this.spans) {
            if (span.started() < 0 || span.released() > total) {
                throw new IllegalArgumentException("spans must lie within 0 and total, got total " + total + " for " + span);
            }
        }
        this.total = total;
    }

    /**
     * A timeline of spans measured on the monotonic clock ({@link System#nanoTime()}), from when
     * the first worker started to when the last released.
     */
    static Timeline of(List<Span> absolute) {
        long origin = absolute.stream().mapToLong(Span::started).min().orElse(0);
        long end = absolute.stream().mapToLong(Span::released).max().orElse(origin);
        return new Timeline(absolute.stream()
                .map(span -> new Span(span.started() - origin, span.acquired() - origin, span.released() - origin))
                .toList(), end - origin);
    }

    /** The spans, one per worker, in the order the workers started. */
    public List<Span> spans() {
        return spans;
    }

    /**
     * How many chart columns fit a terminal {@code width} characters wide beside the rows' labels
     * and figures, at least {@link #MIN_COLUMNS}.
     */
    public int columnsToFit(int width) {
        // Each row is the label, " |", the bar, "|" and the figures.
        int beside = label(spans.size()).length() + 3
                + spans.stream().mapToInt(span -> figures(span).length()).max().orElse(0);
        return Math.max(MIN_COLUMNS, width - beside);
    }

    /**
     * Draws the chart, {@code columns} wide, with a time axis and a legend.
     *
     * @throws IllegalArgumentException if {@code columns} is below {@link #MIN_COLUMNS}
     */
    public void draw(PrintWriter out, int columns, Glyphs glyphs) {
        Objects.requireNonNull(out, "out");
        Objects.requireNonNull(glyphs, "glyphs");
        if (columns < MIN_COLUMNS) {
            throw new IllegalArgumentException("columns must be at least " + MIN_COLUMNS + ", got " + columns);
        }
        int labelWidth = label(spans.size()).length();
        for (int i = 0; i < spans.size(); i++) {
            Span span = spans.get(i);
            out.println(pad(label(i + 1), labelWidth) + " |" + bar(span, columns, glyphs) + "|" + figures(span));
        }
        String indent = " ".repeat(labelWidth + 2);
        String end = format(total);
        out.println(indent + pad("0", columns - end.length()) + end);
        out.println(indent + glyphs.waiting + " waiting for a permit   " + glyphs.holding + " holding it   (one column = "
                + format(total / columns) + ")");
    }

    private String bar(Span span, int columns, Glyphs glyphs) {
        char[] bar = " ".repeat(columns).toCharArray();
        int acquired = column(span.acquired(), columns);
        int released = column(span.released(), columns);
        for (int c = column(span.started(), columns); c < acquired; c++) {
            bar[c] = glyphs.waiting;
        }
        // Every holder shows, even one whose hold is shorter than a column.
        for (int c = Math.min(acquired, columns - 1); c < Math.max(released, acquired + 1) && c < columns; c++) {
            bar[c] = glyphs.holding;
        }
        return new String(bar);
    }

    private int column(long time, int columns) {
        return total == 0 ? 0 : (int) Math.round((double) time * columns / total);
    }

    private static String label(int worker) {
        return "worker " + worker;
    }

    private static String figures(Span span) {
        return " waited " + format(span.acquired() - span.started()) + ", held " + format(span.released() - span.acquired());
    }

    private static String pad(String text, int width) {
        return text + " ".repeat(Math.max(0, width - text.length()));
    }

    /** For example {@code 3.00 s}, {@code 250 ms}, {@code 0.042 ms}. */
    static String format(long nanos) {
        if (nanos == 0) {
            return "0 ms";
        }
        if (nanos >= 1_000_000_000L) {
            return String.format(Locale.ROOT, "%.2f s", nanos / 1e9);
        }
        if (nanos >= 1_000_000L) {
            return String.format(Locale.ROOT, "%d ms", Math.round(nanos / 1e6));
        }
        return String.format(Locale.ROOT, "%.3f ms", nanos / 1e6);
    }
}
