package dev.signalbox.internal.observe;

import java.util.List;

/**
 * Who asked for a handle, and from where: the requesting thread and, in debug mode, the stack
 * above the semaphore's own frames. Captured when the request is made, because a queued
 * request's handle is made later on the thread that releases.
 */
record Origin(Thread thread, List<StackTraceElement> site) {

    private static final StackWalker WALKER = StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE);
    /** Enough frames to recognise the caller without paying for a deep walk on every handle. */
    private static final int DEPTH = 24;

    static Origin capture(boolean withSite) {
        return new Origin(Thread.currentThread(), withSite ? callerFrames() : List.of());
    }

    /** How a holder thread is shown: its name, or {@code #id} when it has none (as virtual threads). */
    static String nameOf(Thread thread) {
        String name = thread.getName();
        return name.isEmpty() ? "#" + thread.threadId() : name;
    }

    /** The caller's frames, without the semaphore's own on top. */
    static List<StackTraceElement> callerFrames() {
        return WALKER.walk(frames -> frames
                .dropWhile(Origin::isMechanism)
                .limit(DEPTH)
                .map(StackWalker.StackFrame::toStackTraceElement)
                .toList());
    }

    private static boolean isMechanism(StackWalker.StackFrame frame) {
        Class<?> type = frame.getDeclaringClass();
        String name = type.getName();
        return name.startsWith("dev.signalbox.internal.")
                || type == dev.signalbox.Semaphore.class
                || type == dev.signalbox.BoundedSemaphore.class
                || type == dev.signalbox.PermitSource.class;
    }
}
