package dev.signalbox.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Tag("unit")
class DurationConverterTest {

    private final DurationConverter converter = new DurationConverter();

    @Nested
    class Accepts {

        @ParameterizedTest
        @CsvSource({
            "250ms, PT0.25S",
            "0ms, PT0S",
            "3s, PT3S",
            "0s, PT0S",
            "2m, PT2M",
            "1h, PT1H",
            "PT3S, PT3S",
            "PT0.5S, PT0.5S",
            "pt1m30s, PT1M30S",
            "PT0S, PT0S",
        })
        void wholeNumbersWithAUnitAndIsoDurations(String text, String expected) {
            assertThat(converter.convert(text)).isEqualTo(Duration.parse(expected));
        }

        @Test
        void theLongestHoursThatFitADuration() {
            assertThat(converter.convert("1000000h")).isEqualTo(Duration.ofHours(1_000_000));
        }
    }

    @Nested
    class Refuses {

        @ParameterizedTest
        @ValueSource(strings = {"soon", "", "3", "3 s", " 3s", "3S", "3sec", "1.5s", "s", "ms", "P", "PTXS", "3s2m", "+3s"})
        void anythingElseWithTheAcceptedForms(String text) {
            assertThatThrownBy(() -> converter.convert(text))
                    .isInstanceOf(CommandLine.TypeConversionException.class)
                    .hasMessage("invalid duration '" + text + "' (use e.g. 250ms, 3s, 2m or PT3S)");
        }

        @ParameterizedTest
        @ValueSource(strings = {"-1ms", "-3s", "-2m", "-1h", "PT-3S", "-PT3S"})
        void negativeDurations(String text) {
            assertThatThrownBy(() -> converter.convert(text))
                    .isInstanceOf(CommandLine.TypeConversionException.class)
                    .hasMessage("duration must not be negative, got '" + text + "'");
        }

        @ParameterizedTest
        @ValueSource(strings = {"99999999999999999999ms", "9223372036854775807h", "PT9999999999999999999H"})
        void durationsTooLongToRepresent(String text) {
            assertThatThrownBy(() -> converter.convert(text))
                    .isInstanceOf(CommandLine.TypeConversionException.class)
                    .hasMessage("duration too long, got '" + text + "'");
        }
    }

    /** Through picocli and the CLI's usage-error handler, as every command uses the converter. */
    @Nested
    class OnTheCommandLine {

        @Command(name = "wait")
        static final class WaitCommand implements Runnable {
            @Option(names = {"-t", "--timeout"}, converter = DurationConverter.class)
            Duration timeout;

            @Override
            public void run() {}
        }

        @Test
        void setsTheOption() {
            WaitCommand command = new WaitCommand();
            int exit = commandLine(command, new StringWriter()).execute("--timeout", "PT2S");

            assertThat(exit).isZero();
            assertThat(command.timeout).isEqualTo(Duration.ofSeconds(2));
        }

        @Test
        void aBadValueIsAUsageErrorNamingTheOptionAndTheValue() {
            StringWriter err = new StringWriter();
            int exit = commandLine(new WaitCommand(), err).execute("-t", "soon");

            assertThat(exit).isEqualTo(ExitCodes.USAGE);
            assertThat(err.toString().lines()).containsExactly(
                    "signalbox: --timeout: invalid duration 'soon' (use e.g. 250ms, 3s, 2m or PT3S)",
                    "Try 'wait --help' for more information.");
        }

        private static CommandLine commandLine(WaitCommand command, StringWriter err) {
            CommandLine commandLine = new CommandLine(command);
            commandLine.setOut(new PrintWriter(new StringWriter(), true));
            commandLine.setErr(new PrintWriter(err, true));
            commandLine.setParameterExceptionHandler(Signalbox::usageError);
            return commandLine;
        }
    }
}
