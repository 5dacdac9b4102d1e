package dev.signalbox.internal.observe;

import java.util.List;

/**
 * Who asked for a handle, and from where: the requesting thread's name and, in debug mode, the
 * stack above the semaphore's own frames. Captured when the request is made, because a queued
 * request's handle is made later on the thread that releases.
 */
record Origin(String thread, List<StackTraceElement> site) {

    private static final StackWalker WALKER = StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE);
    /** Enough frames to recognise the caller without paying for a deep walk on every handle. */
    private static final int DEPTH = 24;

    static Origin capture(boolean withSite) {
        Thread thread = Thread.currentThread();
        String name = thread.getName().isEmpty() ? "#" + thread.threadId() : thread.getName();
        return new Origin(name, withSite ? callerFrames() : List.of());
    }

    /** The caller's frames, without the semaphore's own (and CompletableFuture's) on top. */
    private static List<StackTraceElement> callerFrames() {
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
