package dev.signalbox.cli;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import picocli.CommandLine;

/**
 * Reads a duration option: a whole number with a unit, {@code 250ms}, {@code 3s}, {@code 2m},
 * {@code 1h}, or ISO-8601 such as {@code PT3S} or {@code PT0.5S}. Negative durations are refused.
 *
 * <p>{@link Signalbox} registers it for every {@link Duration} option of every command, so an
 * option needs nothing more than its type:
 * {@snippet :
 * @Option(names = "--hold")
 * Duration hold;
 * }
 * A bad value is a usage error that names the option and the value, for example
 * {@code --hold: invalid duration 'soon' (use e.g. 250ms, 3s, 2m or PT3S)}: {@link Signalbox}
 * prints the converter's message after the option's name.
 */
public final class DurationConverter implements CommandLine.ITypeConverter<Duration> {

    /** What every error message suggests instead. */
    static final String EXAMPLES = "use e.g. 250ms, 3s, 2m or PT3S";

    private static final Pattern WITH_UNIT = Pattern.compile("(-?\\d+)(ms|s|m|h)");
    private static final Pattern ISO = Pattern.compile("-?[Pp]");

    /** Creates the converter; picocli instantiates it for each option that names it. */
    public DurationConverter() {}

    /**
     * Parses {@code text}.
     *
     * @throws CommandLine.TypeConversionException if {@code text} is not a duration in one of the
     *     accepted forms, is negative, or is too long to represent
     */
    @Override
    public Duration convert(String text) {
        Duration duration = parse(text);
        if (duration.isNegative()) {
            throw new CommandLine.TypeConversionException(
                    "duration must not be negative, got '" + text + "'");
        }
        return duration;
    }

    private static Duration parse(String text) {
        Matcher withUnit = WITH_UNIT.matcher(text);
        try {
            if (withUnit.matches()) {
                long amount = Long.parseLong(withUnit.group(1));
                return switch (withUnit.group(2)) {
                    case "ms" -> Duration.ofMillis(amount);
                    case "s" -> Duration.ofSeconds(amount);
                    case "m" -> Duration.ofMinutes(amount);
                    case "h" -> Duration.ofHours(amount);
                    default -> throw new AssertionError("the pattern admits no other unit: " + text);
                };
            }
            if (ISO.matcher(text).lookingAt()) {
                return Duration.parse(text);
            }
        } catch (NumberFormatException | ArithmeticException tooLong) {
            throw new CommandLine.TypeConversionException("duration too long, got '" + text + "'");
        } catch (DateTimeParseException notIso) {
            Throwable cause = notIso.getCause();
            if (cause instanceof ArithmeticException || cause instanceof NumberFormatException) {
                throw new CommandLine.TypeConversionException("duration too long, got '" + text + "'");
            }
            // Otherwise malformed: falls through to the one message every malformed value gets.
        }
        throw new CommandLine.TypeConversionException(
                "invalid duration '" + text + "' (" + EXAMPLES + ")");
    }
}
