package dev.signalbox.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;

import dev.signalbox.BoundedSemaphore;
import dev.signalbox.Semaphore;
import dev.signalbox.cli.demo.Timeline;
import dev.signalbox.cli.demo.TutorialScenario;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code signalbox demo}: the seed tutorial's program, on a Signalbox semaphore. */
@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        versionProvider = Signalbox.Version.class,
        header = "Run the asyncio tutorial's semaphore demo on a Signalbox semaphore.",
        description = {
            "Starts the workers together; each acquires the semaphore, prints that it did, holds it, "
                    + "prints that it releases it and releases it. The lines come out in asyncio's order "
                    + "on every run: workers acquire in rounds of --permits, in the order they started, "
                    + "and a round's holders all release before the next round says it acquired.",
            "",
            "With --bounded the semaphore is a BoundedSemaphore, and once the workers are done the demo "
                    + "releases it once more: that release too many fails, its message goes to stderr and "
                    + "the exit code is 1, as the tutorial's ValueError would end a Python program.",
            ""
        })
final class DemoCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.ParentCommand
    Signalbox signalbox;

    @Option(names = "--workers", paramLabel = "N", defaultValue = "3",
            description = "How many workers (at least 1; default ${DEFAULT-VALUE}).")
    int workers;

    @Option(names = "--permits", paramLabel = "K", defaultValue = "2",
            description = "Permits of the semaphore (at least 1; default ${DEFAULT-VALUE}).")
    int permits;

    @Option(names = "--hold", paramLabel = "DURATION", defaultValue = "3s",
            description = "How long each worker holds it, e.g. 250ms, 3s, PT3S (default ${DEFAULT-VALUE}).")
    Duration hold;

    @Option(names = "--bounded", description = "Use a BoundedSemaphore and show a release too many fail.")
    boolean bounded;

    @Option(names = "--timeline", description = "Afterwards, chart when each worker waited and held the semaphore.")
    boolean timeline;

    @Option(names = "--width", paramLabel = "COLUMNS",
            description = "Columns of the --timeline chart (at least " + Timeline.MIN_COLUMNS
                    + "; default: fit $COLUMNS, else 60).")
    Integer width;

    /** The chart width when neither --width nor $COLUMNS says otherwise. */
    static final int DEFAULT_COLUMNS = 60;

    @Override
    public Integer call() throws InterruptedException {
        requireAtLeast("--workers", workers, 1);
        if (permits < 1) {
            throw usage("--permits: must be at least 1, got " + permits + " (with no permits no worker ever acquires)");
        }
        if (width != null) {
            if (!timeline) {
                throw usage("--width: only with --timeline");
            }
            requireAtLeast("--width", width, Timeline.MIN_COLUMNS);
        }
        PrintWriter out = spec.commandLine().getOut();
        Semaphore semaphore = bounded ? BoundedSemaphore.of(permits) : Semaphore.of(permits);
        Timeline chart = new TutorialScenario(workers, semaphore, hold).run(out);
        int exit = ExitCodes.OK;
        if (bounded) {
            exit = releaseOnceMore(semaphore, out);
        }
        if (timeline) {
            out.println();
            chart.draw(out, columns(chart), signalbox.canPrint("░█") ? Timeline.Glyphs.UNICODE : Timeline.Glyphs.ASCII);
        }
        return exit;
    }

    /** The tutorial's point about bounded semaphores: a release without an acquire fails. */
    private int releaseOnceMore(Semaphore semaphore, PrintWriter out) {
        out.println("Releasing Semaphore once more, without acquiring it");
        out.flush();
        try {
            semaphore.release();
        } catch (IllegalStateException refused) {
            spec.commandLine().getErr().println("signalbox: BoundedSemaphore " + refused.getMessage());
            return ExitCodes.FAILURE;
        }
        throw new AssertionError("a BoundedSemaphore accepted a release too many: " + semaphore);
    }

    private int columns(Timeline chart) {
        if (width != null) {
            return width;
        }
        String terminal = System.getenv("COLUMNS");
        if (terminal != null && terminal.matches("\\d{1,4}")) {
            return chart.columnsToFit(Integer.parseInt(terminal));
        }
        return DEFAULT_COLUMNS;
    }

    private void requireAtLeast(String option, int value, int least) {
        if (value < least) {
            throw usage(option + ": must be at least " + least + ", got " + value);
        }
    }

    private CommandLine.ParameterException usage(String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }
}
