package dev.signalbox.cli.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.signalbox.cli.demo.Timeline.Glyphs;
import dev.signalbox.cli.demo.Timeline.Span;

@Tag("unit")
class TimelineTest {

    private static final long SECOND = 1_000_000_000L;

    /** The tutorial's run: two workers hold from the start for 3 s, the third waits for them, then holds. */
    private final Timeline tutorial = new Timeline(List.of(
            new Span(0, 0, 3 * SECOND), new Span(0, 0, 3 * SECOND), new Span(0, 3 * SECOND, 6 * SECOND)), 6 * SECOND);

    @Test
    void drawsARowPerWorkerATimeAxisAndALegend() {
        assertThat(draw(tutorial, 20, Glyphs.UNICODE)).containsExactly(
                "worker 1 |██████████          | waited 0 ms, held 3.00 s",
                "worker 2 |██████████          | waited 0 ms, held 3.00 s",
                "worker 3 |░░░░░░░░░░██████████| waited 3.00 s, held 3.00 s",
                "          0             6.00 s",
                "          ░ waiting for a permit   █ holding it   (one column = 300 ms)");
    }

    @Test
    void drawsInAsciiToo() {
        assertThat(draw(tutorial, 10, Glyphs.ASCII)).containsExactly(
                "worker 1 |#####     | waited 0 ms, held 3.00 s",
                "worker 2 |#####     | waited 0 ms, held 3.00 s",
                "worker 3 |.....#####| waited 3.00 s, held 3.00 s",
                "          0   6.00 s",
                "          . waiting for a permit   # holding it   (one column = 600 ms)");
    }

    @Test
    void showsAHoldShorterThanAColumnAsOneColumn() {
        Timeline brief = new Timeline(List.of(new Span(0, 0, 1_000), new Span(0, 1_000, 1_000_000)), 1_000_000);

        assertThat(draw(brief, 10, Glyphs.ASCII).subList(0, 2)).containsExactly(
                "worker 1 |#         | waited 0 ms, held 0.001 ms",
                "worker 2 |##########| waited 0.001 ms, held 0.999 ms");
    }

    @Test
    void padsLabelsToTheWidestWorkerNumber() {
        List<Span> spans = java.util.Collections.nCopies(10, new Span(0, 0, SECOND));

        List<String> lines = draw(new Timeline(spans, SECOND), 10, Glyphs.ASCII);

        assertThat(lines.get(0)).startsWith("worker 1  |##########|");
        assertThat(lines.get(9)).startsWith("worker 10 |##########|");
        assertThat(lines.get(10)).startsWith("           0");
    }

    @Test
    void runsFromWhenTheFirstWorkerStartedToWhenTheLastReleased() {
        long origin = 123_456_789_000L;
        Timeline timeline = Timeline.of(List.of(
                new Span(origin + 5, origin + 5, origin + 2 * SECOND), new Span(origin, origin + SECOND, origin + SECOND)));

        assertThat(timeline.spans()).containsExactly(new Span(5, 5, 2 * SECOND), new Span(0, SECOND, SECOND));
        assertThat(draw(timeline, 10, Glyphs.ASCII)).containsExactly(
                "worker 1 |##########| waited 0 ms, held 2.00 s",
                "worker 2 |.....#    | waited 1.00 s, held 0 ms",
                "          0   2.00 s",
                "          . waiting for a permit   # holding it   (one column = 200 ms)");
    }

    @ParameterizedTest
    @CsvSource({"120, 82", "60, 22", "48, 10", "40, 10", "0, 10"})
    void fitsATerminalBesideLabelsAndFiguresButNeverNarrowerThanTen(int width, int columns) {
        // "worker 1 |" + "|" + " waited 3.00 s, held 3.00 s" leave width - 38 columns.
        assertThat(tutorial.columnsToFit(width)).isEqualTo(columns);
    }

    @ParameterizedTest
    @CsvSource({"0, 0 ms", "42000, 0.042 ms", "999999, 1.000 ms", "1000000, 1 ms", "250000000, 250 ms",
            "1000000000, 1.00 s", "3004000000, 3.00 s", "125000000000, 125.00 s"})
    void formatsTimesForPeople(long nanos, String formatted) {
        assertThat(Timeline.format(nanos)).isEqualTo(formatted);
    }

    @Test
    void refusesSpansOutOfOrderOrOutsideTheTimeline() {
        assertThatThrownBy(() -> new Span(5, 4, 6))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a span needs started <= acquired <= released, got 5, 4, 6");
        assertThatThrownBy(() -> new Timeline(List.of(new Span(0, 1, 7)), 6))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("spans must lie within 0 and total, got total 6 for Span[started=0, acquired=1, released=7]");
        assertThatThrownBy(() -> draw(tutorial, 9, Glyphs.ASCII))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("columns must be at least 10, got 9");
    }

    private static List<String> draw(Timeline timeline, int columns, Glyphs glyphs) {
        StringWriter out = new StringWriter();
        timeline.draw(new PrintWriter(out, true), columns, glyphs);
        return out.toString().lines().toList();
    }
}
