package dev.signalbox.internal.observe;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Timespan;

/**
 * An acquire that waited at least the semaphore's long-wait threshold, however it ended. Emitted
 * when the wait ends, on the thread that ended it (for a grant, often the releasing thread), so it
 * carries no stack trace.
 */
@Name("dev.signalbox.LongWait")
@Label("Long Semaphore Wait")
@Category({"Signalbox", "Semaphore"})
@Description("An acquire that waited for permits at least the semaphore's long-wait threshold")
@StackTrace(false)
final class LongWaitEvent extends jdk.jfr.Event {

    @Label("Semaphore")
    @Description("The semaphore's name, or null if it has none")
    String semaphore;

    @Label("Permits")
    int permits;

    @Label("Wait Time")
    @Timespan(Timespan.NANOSECONDS)
    long waitTime;

    @Label("Outcome")
    @Description("GRANTED, CANCELLED, TIMED_OUT or INTERRUPTED")
    String outcome;
}
