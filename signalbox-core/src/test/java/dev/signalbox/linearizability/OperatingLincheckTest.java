package dev.signalbox.linearizability;

import dev.signalbox.BoundedSemaphore;

import org.junit.jupiter.api.Tag;

/** {@link OperatingLincheckBase} on a plain bounded semaphore, with no observer. */
@Tag("lincheck")
public class OperatingLincheckTest extends OperatingLincheckBase {

    public OperatingLincheckTest() {
        super(BoundedSemaphore.of(2));
    }
}
