package dev.signalbox.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

@Tag("unit")
class DemoCommandTest {

    private static final String ACQUIRED = "Successfully acquired the semaphore";
    private static final String RELEASING = "Releasing Semaphore";
    private static final String MAIN = "Main Coroutine";
    private static final String COMPLETED = "All Workers Completed";

    /** The tutorial's output, line for line. */
    private static final List<String> TUTORIAL = List.of(
            ACQUIRED, ACQUIRED, RELEASING, RELEASING, ACQUIRED, RELEASING, MAIN, COMPLETED);

    @Nested
    class TheTutorialsOutput {

        @ParameterizedTest
        @ValueSource(strings = {"0ms", "1ms", "20ms", "PT0.05S"})
        void isPrintedLineForLineWhateverTheHold(String hold) {
            Run run = demo("--hold", hold);

            assertThat(run.exit).isZero();
            assertThat(run.out()).containsExactlyElementsOf(TUTORIAL);
            assertThat(run.err()).isEmpty();
        }

        @Test
        void isTheSameOnEveryRun() {
            for (int i = 0; i < 200; i++) {
                assertThat(demo("--hold", "0ms").out()).as("run %d", i).containsExactlyElementsOf(TUTORIAL);
            }
        }

        @Test
        @Tag("slow")
        void isWhatTheDefaultsPrintThreeWorkersOnTwoPermitsHoldingThreeSeconds() {
            Run run = demo("--timeline", "--width", "60");

            assertThat(run.exit).isZero();
            assertThat(run.out().subList(0, 8)).containsExactlyElementsOf(TUTORIAL);
            List<String> rows = run.out().subList(9, run.out().size() - 2);
            assertThat(rows).hasSize(3);
            // The chart's figures show each worker held the semaphore for the default 3 s.
            assertThat(rows).allSatisfy(row -> assertThat(row).containsPattern("held 3\\.\\d\\d s$"));
        }
    }

    @Nested
    class WorkersAndPermits {

        @ParameterizedTest(name = "{0} workers on {1} permits")
        @MethodSource("dev.signalbox.cli.DemoCommandTest#roundsOfAcquiresAndReleases")
        void acquireInRoundsOfPermitsAndAllOfARoundReleaseBeforeTheNextAcquires(int workers, int permits,
                List<String> expected) {
            Run run = demo("--workers", String.valueOf(workers), "--permits", String.valueOf(permits), "--hold", "0ms");

            assertThat(run.exit).isZero();
            assertThat(run.out()).containsExactlyElementsOf(expected);
        }

        @Test
        void fiveWorkersOnTwoPermitsAcquireTwoTwoAndOne() {
            assertThat(demo("--workers", "5", "--hold", "1ms").out()).containsExactly(
                    ACQUIRED, ACQUIRED, RELEASING, RELEASING,
                    ACQUIRED, ACQUIRED, RELEASING, RELEASING,
                    ACQUIRED, RELEASING,
                    MAIN, COMPLETED);
        }

        @Test
        void permitsForEveryWorkerLetAllAcquireAtOnce() {
            assertThat(demo("--workers", "3", "--permits", "5", "--hold", "1ms").out()).containsExactly(
                    ACQUIRED, ACQUIRED, ACQUIRED, RELEASING, RELEASING, RELEASING, MAIN, COMPLETED);
        }
    }

    /** The order, stated independently of the event loop: rounds of {@code permits} workers. */
    static Stream<Arguments> roundsOfAcquiresAndReleases() {
        List<Arguments> cases = new ArrayList<>();
        for (int workers = 1; workers <= 7; workers++) {
            for (int permits = 1; permits <= 4; permits++) {
                List<String> expected = new ArrayList<>();
                for (int left = workers; left > 0; left -= permits) {
                    int round = Math.min(left, permits);
                    expected.addAll(java.util.Collections.nCopies(round, ACQUIRED));
                    expected.addAll(java.util.Collections.nCopies(round, RELEASING));
                }
                expected.add(MAIN);
                expected.add(COMPLETED);
                cases.add(Arguments.of(workers, permits, expected));
            }
        }
        return cases.stream();
    }

    @Nested
    class Bounded {

        @Test
        void showsTheReleaseTooManyFailOnStderrAndExitsOne() {
            Run run = demo("--bounded", "--hold", "1ms");

            assertThat(run.exit).isEqualTo(ExitCodes.FAILURE);
            assertThat(run.out()).containsExactlyElementsOf(concat(TUTORIAL,
                    List.of("Releasing Semaphore once more, without acquiring it")));
            assertThat(run.err()).containsExactly(
                    "signalbox: BoundedSemaphore released too many times: releasing 1 with 2 available"
                            + " would exceed the bound 2");
        }

        @Test
        void namesTheBoundItWasGiven() {
            Run run = demo("--bounded", "--permits", "3", "--workers", "4", "--hold", "0ms");

            assertThat(run.exit).isEqualTo(ExitCodes.FAILURE);
            assertThat(run.out()).containsExactly(
                    ACQUIRED, ACQUIRED, ACQUIRED, RELEASING, RELEASING, RELEASING, ACQUIRED, RELEASING,
                    MAIN, COMPLETED, "Releasing Semaphore once more, without acquiring it");
            assertThat(run.err()).containsExactly(
                    "signalbox: BoundedSemaphore released too many times: releasing 1 with 3 available"
                            + " would exceed the bound 3");
        }

        @Test
        void withoutItTheDemoReleasesNothingExtraAndSucceeds() {
            Run run = demo("--hold", "0ms");

            assertThat(run.exit).isEqualTo(ExitCodes.OK);
            assertThat(run.out()).doesNotContain("Releasing Semaphore once more, without acquiring it");
        }
    }

    @Nested
    class Timeline {

        /** A time as the chart prints it, e.g. 0 ms, 0.042 ms, 250 ms, 3.00 s. */
        private static final String TIME = "(\\d+ ms|0\\.\\d{3} ms|\\d+\\.\\d\\d s)";
        private static final String ROW = "worker \\d \\|.{40}\\| waited " + TIME + ", held " + TIME;

        @Test
        void chartsOneRowPerWorkerThenTheTimeAxisAndALegend() {
            Run run = demo("--hold", "100ms", "--timeline", "--width", "40");

            assertThat(run.exit).isZero();
            List<String> out = run.out();
            assertThat(out).hasSize(8 + 1 + 3 + 2);
            assertThat(out.subList(0, 8)).containsExactlyElementsOf(TUTORIAL);
            assertThat(out.get(8)).isEmpty();
            List<String> rows = out.subList(9, 12);
            assertThat(rows).allSatisfy(row -> assertThat(row).matches(ROW));
            // Workers 1 and 2 hold at once from the start and release together, before the end.
            assertThat(bar(rows.get(0))).matches("█+ +").isEqualTo(bar(rows.get(1)));
            assertThat(rows.get(0)).contains("waited 0 ms");
            // Worker 3 waits until they release, then holds until the end.
            assertThat(bar(rows.get(2))).matches("░+█+");
            assertThat(bar(rows.get(2)).indexOf('█')).isGreaterThanOrEqualTo(bar(rows.get(0)).indexOf(' '));
            // The axis runs under the bars, "worker 1 |" being 10 characters.
            assertThat(out.get(12)).matches(" {10}0 +" + TIME).hasSize(10 + 40);
            assertThat(out.get(13)).matches(" {10}░ waiting for a permit   █ holding it   \\(one column = " + TIME + "\\)");
        }

        @Test
        void isDrawnInAsciiWhenTheOutputCannotShowBlocks() {
            Run run = demo(StandardCharsets.US_ASCII, "--hold", "20ms", "--timeline", "--width", "20");

            List<String> rows = run.out().subList(9, 12);
            assertThat(rows.get(0)).startsWith("worker 1 |#");
            assertThat(rows.get(2)).startsWith("worker 3 |.");
            assertThat(run.out().get(13)).contains(". waiting for a permit   # holding it");
            assertThat(String.join("\n", run.out())).isASCII();
        }

        @Test
        void comesAfterTheBoundedDemosReleaseTooMany() {
            Run run = demo("--bounded", "--hold", "0ms", "--timeline", "--width", "10");

            assertThat(run.exit).isEqualTo(ExitCodes.FAILURE);
            assertThat(run.out().get(8)).isEqualTo("Releasing Semaphore once more, without acquiring it");
            assertThat(run.out().subList(10, 13)).allSatisfy(row -> assertThat(row).matches("worker \\d \\|.{10}\\|.*"));
        }

        private static String bar(String row) {
            return row.substring(row.indexOf('|') + 1, row.lastIndexOf('|'));
        }
    }

    @Nested
    class UsageErrors {

        @ParameterizedTest(name = "{0}")
        @CsvSource(delimiter = ';', value = {
            "--workers 0;             --workers: must be at least 1, got 0",
            "--workers -3;            --workers: must be at least 1, got -3",
            "--workers many;          --workers: 'many' is not an int",
            "--permits 0;             --permits: must be at least 1, got 0 (with no permits no worker ever acquires)",
            "--permits -1;            --permits: must be at least 1, got -1 (with no permits no worker ever acquires)",
            "--hold soon;             --hold: invalid duration 'soon' (use e.g. 250ms, 3s, 2m or PT3S)",
            "--hold 3;                --hold: invalid duration '3' (use e.g. 250ms, 3s, 2m or PT3S)",
            "--hold -1s;              --hold: duration must not be negative, got '-1s'",
            "--hold;                  Missing required parameter for option '--hold' (DURATION)",
            "--timeline --width 9;    --width: must be at least 10, got 9",
            "--width 40;              --width: only with --timeline",
            "--frobnicate;            Unknown option: '--frobnicate'",
            "now;                     Unmatched argument at index 1: 'now'",
        })
        void sayWhatWasWrongInOneLineWithAHintAndExitTwo(String args, String message) {
            Run run = demo(args.split(" "));

            assertThat(run.exit).isEqualTo(ExitCodes.USAGE);
            assertThat(run.err()).containsExactly(
                    "signalbox: " + message, "Try 'signalbox demo --help' for more information.");
            assertThat(run.out()).as("nothing ran").isEmpty();
        }
    }

    @Test
    void helpShowsTheHeaderAndEveryOption() {
        Run run = demo("--help");

        assertThat(run.exit).isZero();
        assertThat(run.out().get(0)).isEqualTo("Run the asyncio tutorial's semaphore demo on a Signalbox semaphore.");
        assertThat(String.join("\n", run.out()))
                .contains("--workers=N", "--permits=K", "--hold=DURATION", "--bounded", "--timeline", "--width=COLUMNS");
    }

    @Test
    void isListedAmongTheCommandsWithItsHeader() {
        StringWriter out = new StringWriter();
        int exit = Signalbox.execute(new String[] {"--help"}, new PrintWriter(out, true), new PrintWriter(new StringWriter()));

        assertThat(exit).isZero();
        assertThat(out.toString()).containsPattern("demo +Run the asyncio tutorial's semaphore demo");
    }

    private static Run demo(String... args) {
        return demo(StandardCharsets.UTF_8, args);
    }

    private static Run demo(Charset outCharset, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        String[] command = Stream.concat(Stream.of("demo"), Stream.of(args)).toArray(String[]::new);
        int exit = Signalbox.execute(command, new PrintWriter(out, true), new PrintWriter(err, true), outCharset);
        return new Run(exit, out.toString(), err.toString());
    }

    private static List<String> concat(List<String> first, List<String> second) {
        return Stream.concat(first.stream(), second.stream()).toList();
    }

    private record Run(int exit, String stdout, String stderr) {
        List<String> out() {
            return stdout.lines().toList();
        }

        List<String> err() {
            return stderr.lines().toList();
        }
    }
}
