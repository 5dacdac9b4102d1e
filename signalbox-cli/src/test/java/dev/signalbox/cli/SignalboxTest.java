package dev.signalbox.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class SignalboxTest {

    @Test
    void withoutACommandSaysWhichThereAreAndExitsTwo() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();

        int exit = Signalbox.execute(new String[0], new PrintWriter(out, true), new PrintWriter(err, true));

        assertThat(exit).isEqualTo(ExitCodes.USAGE);
        assertThat(out.toString()).isEmpty();
        assertThat(err.toString().lines()).hasSize(2).first().asString()
                .startsWith("signalbox: missing command, one of: ").contains("demo");
    }

    @Test
    void versionSaysDevelopmentWhenRunFromClassesRatherThanTheJar() {
        // The jar's manifest carries the project version; bin/signalbox's test checks that one.
        StringWriter out = new StringWriter();

        int exit = Signalbox.execute(new String[] {"--version"}, new PrintWriter(out, true), new PrintWriter(new StringWriter()));

        assertThat(exit).isZero();
        assertThat(out.toString()).isEqualTo("signalbox development" + System.lineSeparator());
    }
}
