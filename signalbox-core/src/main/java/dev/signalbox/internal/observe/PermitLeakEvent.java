package dev.signalbox.internal.observe;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Timespan;

/** A {@code Permit} handle that was garbage-collected without being closed. */
@Name("dev.signalbox.PermitLeak")
@Label("Permit Leak")
@Category({"Signalbox", "Semaphore"})
@Description("A Permit handle became unreachable without being closed")
@StackTrace(false)
final class PermitLeakEvent extends jdk.jfr.Event {

    @Label("Semaphore")
    String semaphore;

    @Label("Permits")
    int permits;

    @Label("Holder")
    @Description("The thread that acquired the permit")
    String holder;

    @Label("Held For")
    @Timespan(Timespan.NANOSECONDS)
    long heldFor;

    @Label("Acquired At")
    @Description("Where the permit was acquired, when the semaphore records acquisition sites")
    String acquiredAt;

    @Label("Reclaimed")
    @Description("Whether its permits were returned to the semaphore")
    boolean reclaimed;
}
